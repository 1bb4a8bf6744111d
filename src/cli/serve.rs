//! `handbook serve`: watch mode plus the site over HTTP with live reload, and the
//! browser opened on request.

use std::net::IpAddr;

use super::live_start::{run_live, start_live};
use super::ServeArgs;
use crate::diag::{tr, Lang};
use crate::live::serve;
use crate::pipeline::Fatal;

pub(super) fn run(args: ServeArgs, lang: Lang) -> Result<u8, Fatal> {
    let ServeArgs {
        root,
        port,
        bind,
        open,
        poll,
        drafts,
        editor,
    } = args;
    let editor = match editor {
        Some(template) => Some(template),
        None => editor_from_env()?,
    };
    let out = root.join("public");
    let listener = serve::bind(bind, port).map_err(|e| {
        Fatal::Usage(match port {
            Some(port) => tr!(
                "cannot listen on {}:{}: {}",
                "无法在 {}:{} 上监听：{}",
                bind,
                port,
                e
            ),
            None => tr!(
                "cannot listen on {} (ports 3000 to 3100): {}",
                "无法在 {} 上监听（试过 3000 到 3100 端口）：{}",
                bind,
                e
            ),
        })
    })?;
    let (mut session, watcher, lang) = start_live(&root, &out, drafts, poll, lang)?;
    let editor = serve::Editor {
        root: root.canonicalize().unwrap_or_else(|_| root.clone()),
        template: editor,
    };
    let server = serve::start(listener, out.clone(), editor)
        .map_err(|e| Fatal::Usage(tr!("cannot start the server: {}", "无法启动服务器：{}", e)))?;
    let url = format!(
        "http://{}:{}/",
        host(server.address.ip()),
        server.address.port()
    );
    let serving = tr!(
        "serving {} at {} (Ctrl-C to stop)",
        "正在 {1} 提供 {0}（按 Ctrl-C 停止）",
        out.display(),
        url
    );
    eprintln!("{}", serving.get(lang));
    if !bind.is_loopback() {
        let open_to_all = tr!(
            "warning: listening on {}: other computers on the network can read the site",
            "警告：正在 {} 上监听，同一网络里的其他电脑也能看到这个网站",
            bind
        );
        eprintln!("{}", open_to_all.get(lang));
    }
    if open {
        open_browser(&url, lang);
    }
    run_live(&mut session, &watcher, Some(&server.notifier), lang)
}

/// The editor `HANDBOOK_EDITOR` names, if it is set: a preset or a template, like
/// `--editor`.
fn editor_from_env() -> Result<Option<String>, Fatal> {
    match std::env::var("HANDBOOK_EDITOR") {
        Ok(value) if !value.trim().is_empty() => serve::parse_editor(value.trim())
            .map(Some)
            .map_err(|e| Fatal::Usage(tr!("HANDBOOK_EDITOR: {}", "HANDBOOK_EDITOR：{}", e))),
        _ => Ok(None),
    }
}

/// The host part of the URL to print: an address a browser on this computer can
/// open (not 0.0.0.0), IPv6 in brackets.
fn host(ip: IpAddr) -> String {
    match ip {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    }
}

fn open_browser(url: &str, lang: Lang) {
    let command = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", "", url]
    } else {
        vec!["xdg-open", url]
    };
    if std::process::Command::new(command[0])
        .args(&command[1..])
        .spawn()
        .is_err()
    {
        let visit = tr!(
            "could not open a browser: visit {}",
            "无法打开浏览器：请自己访问 {}",
            url
        );
        eprintln!("{}", visit.get(lang));
    }
}
