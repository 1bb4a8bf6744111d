fn main() -> std::process::ExitCode {
    handbook::cli::main()
}
