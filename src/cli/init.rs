//! `handbook init`: a new handbook with the sample, and where to go from there.

use super::InitArgs;
use crate::init;
use crate::pipeline::Fatal;

pub(super) fn run(InitArgs { dir }: InitArgs) -> Result<u8, Fatal> {
    init::scaffold(&dir).map_err(Fatal::Usage)?;
    eprintln!(
        "created a handbook in {}: run `handbook build --root {}` and open public/index.html",
        dir.display(),
        dir.display()
    );
    Ok(0)
}
