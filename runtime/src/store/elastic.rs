//! Elasticsearch target: the `_bulk` API over plain HTTP/1.1.
//!
//! In: a table's `hosts` (`http://host:port`, several separated by `;`), `index`,
//! `document-id.key-delimiter` and optional `username`/`password`, and batches of
//! coalesced writes. Out: one `POST /_bulk` per flush with an NDJSON body — an `index`
//! action and the row as a JSON document (Flink's json format, every column) per
//! upsert, a `delete` action per delete; the document id is the primary key's values
//! joined by the delimiter (no key: Elasticsearch makes the ids, append only).
//!
//! The response is checked: a request that fails (connection refused or reset, HTTP
//! 429 or 5xx) is sent again with backoff until `sink.reconnect-timeout`; per-item
//! failures are dead-lettered with Elasticsearch's reason, except 429 (queue full),
//! whose items are sent again. Any other HTTP error is the job's error (the request
//! itself is wrong: a bad index name, credentials).
//!
//! Blocking `std::net` IO, one connection per request (`Connection: close`): a flush is
//! at most one request a second or per 1000 actions, so a connection per request costs
//! nothing worth pooling, and it keeps the client free of async and TLS.

use super::buffer::{Action, Pending};
use super::change::Schema;
use super::retry::Backoff;
use crate::driver::Ctx;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const IO_TIMEOUT: Duration = Duration::from_secs(60);

/// One `http://host:port/prefix` of the `hosts` option.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Host {
    host: String,
    port: u16,
    /// A path prefix before `/_bulk` (a proxy's), without a trailing slash.
    prefix: String,
}

impl Host {
    fn parse(url: &str) -> Result<Host, String> {
        let u = url.trim();
        if u.starts_with("https://") {
            return Err(format!(
                "host `{u}`: https needs TLS, which this build does not have; use http:// (or a local TLS proxy)"
            ));
        }
        let rest = u.strip_prefix("http://").unwrap_or(u);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (
                h.to_string(),
                p.parse()
                    .map_err(|_| format!("host `{u}`: bad port `{p}`"))?,
            ),
            _ => (authority.to_string(), 80),
        };
        if host.is_empty() {
            return Err(format!("host `{u}`: no host name"));
        }
        let prefix = path.trim_end_matches('/');
        Ok(Host {
            host,
            port,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("/{prefix}")
            },
        })
    }
}

/// Settings of an Elasticsearch sink (see [`ElasticStore::open`]).
#[derive(Clone, Debug)]
pub struct ElasticSettings {
    /// `hosts` (Blink: `endPoint`), `;`-separated.
    pub hosts: String,
    pub index: String,
    pub key_delimiter: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub reconnect_timeout: Duration,
}

/// A sink writing documents into one index.
#[derive(Debug)]
pub struct ElasticStore {
    sink: String,
    hosts: Vec<Host>,
    /// The host to try next (rotated on connection failures).
    current: usize,
    index: String,
    key_delimiter: String,
    /// `Basic …`.
    auth: Option<String>,
    reconnect_timeout: Duration,
    schema: Schema,
}

/// The outcome of one bulk request.
enum Sent {
    /// Every item done (or failed for good: dead-lettered).
    Done,
    /// These items (indexes into the batch) were refused for now (429): send again.
    Retry(Vec<usize>),
}

impl ElasticStore {
    pub fn open(sink: &str, settings: ElasticSettings, schema: Schema) -> Result<Self, String> {
        let hosts = settings
            .hosts
            .split(';')
            .filter(|h| !h.trim().is_empty())
            .map(Host::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("sink `{sink}`: {e}"))?;
        if hosts.is_empty() {
            return Err(format!("sink `{sink}`: 'hosts' names no host"));
        }
        if settings.index.contains('{') {
            return Err(format!(
                "sink `{sink}`: dynamic index `{}` (a {{field}} pattern) is not supported yet",
                settings.index
            ));
        }
        let auth = settings.username.as_ref().map(|u| {
            let mut b = Vec::new();
            let creds = format!("{u}:{}", settings.password.as_deref().unwrap_or(""));
            crate::encode::json_bytes(&mut b, creds.as_bytes());
            // json_bytes quotes its base64; the header wants it bare.
            format!("Basic {}", String::from_utf8_lossy(&b[1..b.len() - 1]))
        });
        Ok(ElasticStore {
            sink: sink.to_string(),
            hosts,
            current: 0,
            index: settings.index,
            key_delimiter: settings.key_delimiter,
            auth,
            reconnect_timeout: settings.reconnect_timeout,
            schema,
        })
    }

    /// The document id of a row: its key values joined by the delimiter.
    fn id(&self, p: &Pending) -> Option<String> {
        if self.schema.key.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .schema
            .key
            .iter()
            .map(|&i| p.change.values[i].text())
            .collect();
        Some(parts.join(&self.key_delimiter))
    }

    /// The NDJSON body for these rows.
    fn body(&self, rows: &[&Pending]) -> Vec<u8> {
        let mut b = Vec::new();
        for p in rows {
            let verb = match p.action {
                Action::Upsert => "index",
                Action::Delete => "delete",
            };
            b.extend_from_slice(format!("{{\"{verb}\":{{\"_index\":").as_bytes());
            crate::encode::json_str(&mut b, &self.index);
            if let Some(id) = self.id(p) {
                b.extend_from_slice(b",\"_id\":");
                crate::encode::json_str(&mut b, &id);
            }
            b.extend_from_slice(b"}}\n");
            if p.action == Action::Upsert {
                b.extend_from_slice(&p.change.to_json(&self.schema, None));
                b.push(b'\n');
            }
        }
        b
    }

    /// Writes one flush's coalesced rows (see the module docs for failures).
    pub fn write(&mut self, rows: Vec<Pending>, ctx: &mut Ctx) -> Result<(), String> {
        let mut todo: Vec<&Pending> = rows.iter().collect();
        let mut backoff = Backoff::new(self.reconnect_timeout);
        while !todo.is_empty() {
            let body = self.body(&todo);
            let failure = match self.post(&body) {
                Ok((status, response)) if (200..300).contains(&status) => {
                    ctx.counters.store_writes += 1;
                    match self.items(&response, &todo, ctx)? {
                        Sent::Done => return Ok(()),
                        Sent::Retry(again) => {
                            todo = again.into_iter().map(|i| todo[i]).collect();
                            "Elasticsearch refused some items for now (429)".to_string()
                        }
                    }
                }
                Ok((status, response)) if status == 429 || status >= 500 => {
                    format!("HTTP {status}: {}", snippet(&response))
                }
                Ok((status, response)) => {
                    return Err(format!(
                        "sink `{}`: Elasticsearch refused the bulk request: HTTP {status}: {}",
                        self.sink,
                        snippet(&response)
                    ));
                }
                Err(e) => {
                    self.current = (self.current + 1) % self.hosts.len();
                    e
                }
            };
            backoff.wait(&self.sink, &failure)?;
        }
        Ok(())
    }

    /// Reads a bulk response: counts the items written, dead-letters the failed ones.
    fn items(&self, response: &[u8], rows: &[&Pending], ctx: &mut Ctx) -> Result<Sent, String> {
        let bad = |why: &str| {
            format!(
                "sink `{}`: unexpected bulk response ({why}): {}",
                self.sink,
                snippet(response)
            )
        };
        let v: serde_json::Value =
            serde_json::from_slice(response).map_err(|e| bad(&e.to_string()))?;
        if v.get("errors") == Some(&serde_json::Value::Bool(false)) {
            ctx.counters.store_rows += rows.len() as u64;
            return Ok(Sent::Done);
        }
        let items = v
            .get("items")
            .and_then(|i| i.as_array())
            .ok_or_else(|| bad("no items"))?;
        if items.len() != rows.len() {
            return Err(bad(&format!(
                "{} items for {} actions",
                items.len(),
                rows.len()
            )));
        }
        let mut again = Vec::new();
        for (i, (item, p)) in items.iter().zip(rows).enumerate() {
            // Each item is {"<action>": {"status": …, "error": {…}?}}.
            let result = item
                .as_object()
                .and_then(|o| o.values().next())
                .ok_or_else(|| bad("an item is not an object"))?;
            match result.get("error") {
                None => ctx.counters.store_rows += 1,
                Some(_) if result.get("status").and_then(|s| s.as_u64()) == Some(429) => {
                    again.push(i);
                }
                Some(err) => {
                    let reason = match (err.get("type"), err.get("reason")) {
                        (Some(t), Some(r)) => format!(
                            "{}: {}",
                            t.as_str().unwrap_or("error"),
                            r.as_str().unwrap_or("")
                        ),
                        _ => err.to_string(),
                    };
                    ctx.dead_letter_sink(
                        &self.sink,
                        &p.line,
                        &format!("rejected by Elasticsearch: {reason}"),
                    );
                }
            }
        }
        Ok(if again.is_empty() {
            Sent::Done
        } else {
            Sent::Retry(again)
        })
    }

    /// One `POST /_bulk`; the status and body, or why there is none.
    fn post(&self, body: &[u8]) -> Result<(u16, Vec<u8>), String> {
        let h = &self.hosts[self.current];
        let addr = (h.host.as_str(), h.port)
            .to_socket_addrs()
            .map_err(|e| format!("{}:{}: {e}", h.host, h.port))?
            .next()
            .ok_or_else(|| format!("{}:{}: no address", h.host, h.port))?;
        let io = |e: std::io::Error| format!("{}:{}: {e}", h.host, h.port);
        let mut s = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(io)?;
        s.set_read_timeout(Some(IO_TIMEOUT)).map_err(io)?;
        s.set_write_timeout(Some(IO_TIMEOUT)).map_err(io)?;
        let mut head = format!(
            "POST {}/_bulk HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/x-ndjson\r\nAccept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            h.prefix,
            h.host,
            h.port,
            body.len()
        );
        if let Some(a) = &self.auth {
            head.push_str(&format!("Authorization: {a}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).map_err(io)?;
        s.write_all(body).map_err(io)?;
        let mut response = Vec::new();
        s.read_to_end(&mut response).map_err(io)?;
        parse_response(&response).map_err(|e| format!("{}:{}: {e}", h.host, h.port))
    }
}

/// The start of a response body, for messages.
fn snippet(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    s.chars().take(300).collect()
}

/// An HTTP/1.1 response read to its end: the status and the body (de-chunked).
pub(crate) fn parse_response(r: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let end = r
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response has no end of headers")?;
    let head = String::from_utf8_lossy(&r[..end]);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status line")?;
    let mut chunked = false;
    let mut length = None;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                chunked = true;
            } else if k == "content-length" {
                length = v.parse::<usize>().ok();
            }
        }
    }
    let mut body = &r[end + 4..];
    if chunked {
        let mut out = Vec::new();
        loop {
            let nl = body
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("a chunk is cut")?;
            let size_text = String::from_utf8_lossy(&body[..nl]);
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| "a bad chunk size")?;
            body = &body[nl + 2..];
            if size == 0 {
                break;
            }
            if body.len() < size {
                return Err("a chunk is cut".into());
            }
            out.extend_from_slice(&body[..size]);
            body = body.get(size + 2..).unwrap_or(&[]);
        }
        return Ok((status, out));
    }
    if let Some(n) = length {
        if body.len() < n {
            return Err("the body is shorter than its Content-Length".into());
        }
        body = &body[..n];
    }
    Ok((status, body.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            Host::parse("http://127.0.0.1:9200").unwrap(),
            Host {
                host: "127.0.0.1".into(),
                port: 9200,
                prefix: String::new()
            }
        );
        assert_eq!(Host::parse("http://es/proxy/").unwrap().prefix, "/proxy");
        assert_eq!(Host::parse("es.local").unwrap().port, 80);
        assert!(Host::parse("https://es:9200").is_err());
    }

    #[test]
    fn responses_with_length_or_chunks() {
        let r = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_response(r).unwrap(), (200, b"{}".to_vec()));
        let r = b"HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(r).unwrap(), (429, b"abcde".to_vec()));
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
