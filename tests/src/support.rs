//! Test support: a TCP proxy that stands between a job and a database to make it
//! refuse connections or cut them (a server that is down or goes away, as a client
//! sees it), unique names and scratch directories for tests sharing servers, and a
//! job run over a few input lines.

use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A suffix no other test or run used: process id, time, counter.
pub fn unique() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() % 1_000_000_000);
    format!(
        "{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh directory under the system temp dir, named `streamsql-<what>-<unique>`.
pub fn temp_dir(what: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("streamsql-{what}-{}", unique()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `job` over `lines` (its first source, from a file) and returns its first
/// sink's lines, sorted.
pub fn run_lines(
    job: &mut impl streamsql_runtime::driver::Job,
    lines: &[&str],
) -> (streamsql_runtime::driver::Counters, Vec<String>) {
    let (counters, mut sinks) = run_sinks(job, lines);
    (counters, sinks.swap_remove(0))
}

/// Runs `job` over `lines` (its first source, from a file) and returns every sink's
/// lines, sorted, in the job's sink order.
pub fn run_sinks(
    job: &mut impl streamsql_runtime::driver::Job,
    lines: &[&str],
) -> (streamsql_runtime::driver::Counters, Vec<Vec<String>>) {
    use streamsql_runtime::driver::{self, Options};
    let dir = temp_dir("job");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let info = job.info();
    let outputs: Vec<std::path::PathBuf> = (0..info.sinks.len())
        .map(|k| dir.join(format!("out{k}.txt")))
        .collect();
    let opts = Options {
        inputs: vec![(info.sources[0].to_string(), input.display().to_string())],
        outputs: info
            .sinks
            .iter()
            .zip(&outputs)
            .map(|(s, p)| (s.to_string(), p.display().to_string()))
            .collect(),
        quiet: true,
        ..Options::default()
    };
    let counters = driver::run(job, &opts, &AtomicBool::new(false)).unwrap();
    let rows = outputs
        .iter()
        .map(|p| {
            let mut rows: Vec<String> = std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect();
            rows.sort();
            rows
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    (counters, rows)
}

/// Forwards 127.0.0.1:port to a database; refusing means accepting and closing at
/// once (a server that is down, as a client sees it).
#[derive(Debug)]
pub struct Proxy {
    port: u16,
    forward: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<TcpStream>>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    pub fn start(target: SocketAddr, forward: bool) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let p = Proxy {
            port,
            forward: Arc::new(AtomicBool::new(forward)),
            live: Arc::new(Mutex::new(Vec::new())),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (fwd, live, stop) = (p.forward.clone(), p.live.clone(), p.stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                if !fwd.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                let mut l = live.lock().unwrap();
                l.push(client.try_clone().unwrap());
                l.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                        let _ = from.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        p
    }

    /// Forwards again after `d`.
    pub fn open_after(&self, d: Duration) {
        let fwd = self.forward.clone();
        std::thread::spawn(move || {
            std::thread::sleep(d);
            fwd.store(true, Ordering::SeqCst);
        });
    }

    /// Kills every open connection and refuses new ones for `d`, then forwards again.
    pub fn cut_for(&self, d: Duration) {
        self.forward.store(false, Ordering::SeqCst);
        for s in self.live.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
        self.open_after(d);
    }

    /// The database URL with the proxy in place of the server's address.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (auth, rest) = rest.split_once('@').unwrap();
        let path = &rest[rest.find('/').unwrap_or(rest.len())..];
        format!("{scheme}://{auth}@127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for s in self.live.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so it sees the stop flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// The server address of a `scheme://user:pass@host:port/db` URL.
pub fn server_addr(url: &str) -> SocketAddr {
    let rest = url.split_once("://").unwrap().1;
    let host_port = rest.split_once('@').map_or(rest, |x| x.1);
    let host_port = host_port.split('/').next().unwrap();
    host_port.to_socket_addrs().unwrap().next().unwrap()
}
