//! `handbook serve`: watch mode plus the site over HTTP with live reload, and the
//! browser opened on request.

use std::net::IpAddr;

use super::live_start::{run_live, start_live};
use super::ServeArgs;
use crate::live::serve;
use crate::pipeline::Fatal;

pub(super) fn run(args: ServeArgs) -> Result<u8, Fatal> {
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
            Some(port) => format!("cannot listen on {bind}:{port}: {e}"),
            None => format!("cannot listen on {bind} (ports 3000 to 3100): {e}"),
        })
    })?;
    let (mut session, watcher) = start_live(&root, &out, drafts, poll)?;
    let editor = serve::Editor {
        root: root.canonicalize().unwrap_or_else(|_| root.clone()),
        template: editor,
    };
    let server = serve::start(listener, out.clone(), editor)
        .map_err(|e| Fatal::Usage(format!("cannot start the server: {e}")))?;
    let url = format!(
        "http://{}:{}/",
        host(server.address.ip()),
        server.address.port()
    );
    eprintln!("serving {} at {url} (Ctrl-C to stop)", out.display());
    if !bind.is_loopback() {
        eprintln!("warning: listening on {bind}: other computers on the network can read the site");
    }
    if open {
        open_browser(&url);
    }
    run_live(&mut session, &watcher, Some(&server.notifier))
}

/// The editor `HANDBOOK_EDITOR` names, if it is set: a preset or a template, like
/// `--editor`.
fn editor_from_env() -> Result<Option<String>, Fatal> {
    match std::env::var("HANDBOOK_EDITOR") {
        Ok(value) if !value.trim().is_empty() => serve::parse_editor(value.trim())
            .map(Some)
            .map_err(|e| Fatal::Usage(format!("HANDBOOK_EDITOR: {e}"))),
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

fn open_browser(url: &str) {
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
        eprintln!("could not open a browser: visit {url}");
    }
}
