//! One integration-test binary: the real `handbook` binary run on fixture handbooks
//! and on the sample handbook of this repository.

mod cli;
mod exports;
mod faults;
mod history;
mod live;
mod load;
mod mutation;
mod sample;
mod support;
