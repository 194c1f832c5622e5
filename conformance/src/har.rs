//! HAR 1.2 recordings (the `har` crate's model): the proxy writes one as it goes, and
//! `check-har` reads any, from a browser, a test run or another proxy.
//!
//! The writer keeps the file a complete HAR document after every entry: it writes the log
//! with no entries once, then for each exchange overwrites the closing brackets with the
//! entry followed by the brackets again. A proxy killed at any moment leaves a readable file
//! (at worst without the exchange being written).
//!
//! Recordings are redacted like everything else: credential headers keep only their scheme,
//! personal-data fields in JSON bodies read `[redacted]`, and a body that is not JSON (whose
//! personal data cannot be found) is left out, as is one over the size bound.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use har::v1_2::{Content, Creator, Entries, Headers, Log, PostData, QueryString, Request, Response, Timings};
use har::{Har, Spec};
use serde_json::Value;

use crate::proxy::check::{Captured, Checker, Exchange};
use crate::proxy::redact::{Secrets, is_credential_header, redact_credential};

pub struct HarWriter {
    file: File,
    /// Where the next entry goes: just before the closing brackets.
    entries_end: u64,
    /// The closing brackets after the entry list.
    tail: String,
    count: usize,
}

impl HarWriter {
    pub fn create(path: &Path) -> std::io::Result<HarWriter> {
        let empty = Har {
            log: Spec::V1_2(Log {
                creator: Creator {
                    name: "conformance".into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    comment: None,
                },
                ..Log::default()
            }),
        };
        let text = serde_json::to_string(&empty).map_err(std::io::Error::other)?;
        let marker = "\"entries\":[";
        let at = text
            .find(marker)
            .map(|i| i + marker.len())
            .ok_or_else(|| std::io::Error::other("the HAR model has no entries list"))?;
        let (head, tail) = text.split_at(at);
        let mut file = File::create(path)?;
        file.write_all(head.as_bytes())?;
        let entries_end = head.len() as u64;
        file.write_all(tail.as_bytes())?;
        file.write_all(b"\n")?;
        file.flush()?;
        Ok(HarWriter {
            file,
            entries_end,
            tail: format!("{tail}\n"),
            count: 0,
        })
    }

    /// Appends one exchange, redacted, and leaves the file complete.
    pub fn append(
        &mut self,
        ex: &Exchange,
        checker: &Checker,
        time: Duration,
        base_url: &str,
    ) -> std::io::Result<()> {
        let entry = to_entry(ex, checker, time, base_url);
        let mut text = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
        if self.count > 0 {
            text.insert(0, ',');
        }
        self.file.seek(SeekFrom::Start(self.entries_end))?;
        self.file.write_all(text.as_bytes())?;
        self.entries_end += text.len() as u64;
        self.file.write_all(self.tail.as_bytes())?;
        self.file.set_len(self.entries_end + self.tail.len() as u64)?;
        self.file.flush()?;
        self.count += 1;
        Ok(())
    }
}

/// The exchange as a HAR entry, redacted.
pub fn to_entry(ex: &Exchange, checker: &Checker, time: Duration, base_url: &str) -> Entries {
    let secrets = checker.secrets(ex);
    let headers = |list: &http::HeaderMap| -> Vec<Headers> {
        list.iter()
            .map(|(n, v)| (n.as_str(), String::from_utf8_lossy(v.as_bytes())))
            .map(|(n, v)| Headers {
                name: n.to_string(),
                value: if is_credential_header(n) {
                    redact_credential(&v)
                } else {
                    secrets.scrub(&v)
                },
                comment: None,
            })
            .collect()
    };
    let url = secrets.scrub(&format!("{}{}", base_url.trim_end_matches('/'), ex.target));
    let query_string = url::Url::parse(&url)
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| QueryString {
                    name: k.into_owned(),
                    value: v.into_owned(),
                    comment: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let ms = time.as_secs_f64() * 1000.0;
    let request_ct = ex.request_header("content-type").unwrap_or_default().to_string();
    let response_ct = ex.response_header("content-type").unwrap_or_default().to_string();
    Entries {
        started_date_time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        time: ms,
        request: Request {
            method: ex.method.clone(),
            url,
            http_version: "HTTP/1.1".into(),
            headers: headers(&ex.request_headers),
            query_string,
            post_data: (!ex.request_body.bytes.is_empty()).then(|| PostData {
                mime_type: request_ct,
                text: Some(body_text(&ex.request_body, checker, &secrets)),
                params: None,
                comment: None,
            }),
            headers_size: -1,
            body_size: ex.request_body.bytes.len() as i64,
            ..Request::default()
        },
        response: Response {
            status: i64::from(ex.status),
            status_text: http::StatusCode::from_u16(ex.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or_default()
                .into(),
            http_version: "HTTP/1.1".into(),
            headers: headers(&ex.response_headers),
            content: Content {
                size: ex.response_body.bytes.len() as i64,
                mime_type: Some(response_ct),
                text: Some(body_text(&ex.response_body, checker, &secrets)),
                ..Content::default()
            },
            redirect_url: Some(ex.response_header("location").unwrap_or_default().to_string()),
            headers_size: -1,
            body_size: ex.response_body.bytes.len() as i64,
            ..Response::default()
        },
        timings: Timings {
            send: 0.0,
            wait: ms,
            receive: 0.0,
            ..Timings::default()
        },
        ..Entries::default()
    }
}

/// The body as recorded: redacted JSON, or a note saying why it was left out.
fn body_text(body: &Captured, checker: &Checker, secrets: &Secrets) -> String {
    if body.bytes.is_empty() {
        return String::new();
    }
    if !body.complete {
        return format!("[body over {} bytes: not recorded]", body.bytes.len());
    }
    match serde_json::from_slice::<Value>(&body.bytes) {
        Ok(mut v) => {
            checker.redactor.body(&mut v);
            secrets.scrub_value(&mut v);
            v.to_string()
        }
        Err(_) => format!("[{} bytes, not JSON: not recorded]", body.bytes.len()),
    }
}

/// Reads a HAR file (1.2 or 1.3) into exchanges, with the base URL of each entry's request.
pub fn read(path: &Path) -> anyhow::Result<Vec<(String, Exchange)>> {
    let har = har::from_path(path).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(s) = std::error::Error::source(&e) {
            msg.push_str(&format!(": {s}"));
        }
        anyhow::anyhow!("{}: {msg}", path.display())
    })?;
    // Both versions share the fields read here; 1.3 goes through its JSON form as 1.2.
    let entries: Vec<Entries> = match har.log {
        Spec::V1_2(log) => log.entries,
        Spec::V1_3(log) => {
            let v = serde_json::to_value(log.entries)?;
            serde_json::from_value(v).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
    };
    let mut out = Vec::new();
    for (i, e) in entries.into_iter().enumerate() {
        let url = url::Url::parse(&e.request.url).map_err(|err| {
            anyhow::anyhow!(
                "{}: /log/entries/{i}/request/url: not a URL ({err})",
                path.display()
            )
        })?;
        let base = url[..url::Position::BeforePath].to_string();
        let target = url[url::Position::BeforePath..url::Position::AfterQuery].to_string();
        let pairs =
            |h: &[Headers]| crate::proxy::header_map(h.iter().map(|h| (h.name.as_str(), h.value.as_str())));
        let request_body = e
            .request
            .post_data
            .as_ref()
            .and_then(|p| p.text.clone())
            .unwrap_or_default();
        let response_body = match (&e.response.content.text, e.response.content.encoding.as_deref()) {
            (Some(_), Some(enc)) if enc != "identity" => {
                anyhow::bail!(
                    "{}: /log/entries/{i}/response/content/encoding: `{enc}` bodies are not supported; export the HAR with text bodies",
                    path.display()
                )
            }
            (Some(t), _) => t.clone(),
            (None, _) => String::new(),
        };
        let status = u16::try_from(e.response.status).map_err(|_| {
            anyhow::anyhow!(
                "{}: /log/entries/{i}/response/status: {} is not an HTTP status",
                path.display(),
                e.response.status
            )
        })?;
        out.push((
            base,
            Exchange {
                method: e.request.method.to_ascii_uppercase(),
                target,
                request_headers: pairs(&e.request.headers),
                request_body: Captured::whole(request_body),
                status,
                response_headers: pairs(&e.response.headers),
                response_body: Captured::whole(response_body),
            },
        ));
    }
    Ok(out)
}
