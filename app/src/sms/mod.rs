//! Outgoing SMS behind one interface. An installation picks its gateway in `[sms]` of
//! Leptos.toml:
//! - `log` (demo and development): the message is written to the server log, so a one-time code
//!   can be read there;
//! - `file`: each message is appended as one JSON line to a spool file that a separate sender
//!   (a modem daemon, a provider's uploader) picks up; tests read it too.
//!
//! Sending never blocks a request on a slow gateway for long, and a failed send is reported to the
//! caller as `Internal` (logged with its cause) without saying whether the number has an account.

use crate::AppError;
use std::path::PathBuf;

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sms {
    /// E.164 number.
    pub to: String,
    pub text: String,
}

/// Where outgoing SMS go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SmsGateway {
    /// Written to the server log (demo, development).
    #[default]
    Log,
    /// Appended as JSON lines to a spool file.
    File(PathBuf),
}

impl SmsGateway {
    /// Sends one message.
    pub async fn send(&self, sms: &Sms) -> Result<(), AppError> {
        match self {
            Self::Log => {
                tracing::info!(to = %sms.to, text = %sms.text, "SMS (log gateway: not sent to a phone)");
                Ok(())
            }
            Self::File(path) => {
                use tokio::io::AsyncWriteExt as _;
                let mut line = serde_json::to_string(&serde_json::json!({
                    "at": chrono::Utc::now().to_rfc3339(),
                    "to": sms.to,
                    "text": sms.text,
                }))
                .map_err(|e| {
                    tracing::error!(error = %e, "SMS could not be encoded");
                    AppError::Internal
                })?;
                line.push('\n');
                let write = async {
                    let mut f = tokio::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(path)
                        .await?;
                    f.write_all(line.as_bytes()).await?;
                    f.flush().await
                };
                write.await.map_err(|e| {
                    tracing::error!(path = %path.display(), error = %e, "SMS spool file not writable");
                    AppError::Internal
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_file_gateway_appends_json_lines() {
        let dir = std::env::temp_dir().join(format!("platforma-sms-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("outbox.jsonl");
        let _ = std::fs::remove_file(&path);
        let gw = SmsGateway::File(path.clone());
        for text in ["Код: 123456", "Код: 654321"] {
            gw.send(&Sms {
                to: "+79001234567".into(),
                text: text.into(),
            })
            .await
            .expect("sent");
        }
        let body = std::fs::read_to_string(&path).expect("spool written");
        let lines: Vec<serde_json::Value> = body
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["to"], "+79001234567");
        assert_eq!(lines[1]["text"], "Код: 654321");
    }

    #[tokio::test]
    async fn an_unwritable_spool_is_an_internal_error() {
        let gw = SmsGateway::File(PathBuf::from("/nonexistent-dir/platforma/outbox.jsonl"));
        let sent = gw
            .send(&Sms {
                to: "+79001234567".into(),
                text: "x".into(),
            })
            .await;
        assert_eq!(sent, Err(AppError::Internal));
    }
}
