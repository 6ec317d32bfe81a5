//! LAPS: the devices whose local administrator password Entra holds
//! (`directory/deviceLocalCredentials`), and one device's password revealed. The password is
//! returned to the caller alone: never stored, never logged.

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use domain::AzureTenantId;
use reqwest::{Method, StatusCode};
use serde::Deserialize;

use super::{CustomerDirectoryError, DirectoryPermission, refused};
use crate::{GraphClient, GraphError, SignInApp, request::Patience};

const DEVICES: &str = "v1.0/directory/deviceLocalCredentials";
const PERMISSION: DirectoryPermission = DirectoryPermission::DeviceLocalCredentialReadAll;

/// A device with a backed-up local administrator password, without the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCredentialInfo {
    pub device_id: String,
    pub device_name: String,
    pub last_backup: Option<DateTime<Utc>>,
}

/// A device's newest local administrator password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePassword {
    /// The device's name as Entra knows it, for the audit log; empty if Graph leaves it out.
    pub device_name: String,
    pub account_name: String,
    pub password: LapsPassword,
    pub backup_time: Option<DateTime<Utc>>,
}

/// A device's local administrator password. Its `Debug` is redacted; it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct LapsPassword(String);

impl LapsPassword {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for LapsPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LapsPassword(<redacted>)")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceJson {
    id: String,
    #[serde(default)]
    device_name: String,
    last_backup_date_time: Option<String>,
}

/// Graph answers `$select=credentials` with the device's other properties too.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceCredentialsJson {
    #[serde(default)]
    device_name: String,
    #[serde(default)]
    credentials: Vec<CredentialJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialJson {
    #[serde(default)]
    account_name: String,
    backup_date_time: Option<String>,
    #[serde(default)]
    password_base64: String,
}

/// Graph writes seven fractional digits (`2026-11-28T03:12:45.0000000Z`); RFC 3339 allows them.
fn timestamp(raw: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw?)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

impl GraphClient {
    /// Every device of the directory with a backed-up password, every page.
    pub async fn list_device_credentials(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
    ) -> Result<Vec<DeviceCredentialInfo>, CustomerDirectoryError> {
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let devices: Vec<DeviceJson> = self
            .every_page(self.graph_path(DEVICES)?, &token, &mut patience, PERMISSION)
            .await?;
        Ok(devices
            .into_iter()
            .map(|device| DeviceCredentialInfo {
                last_backup: timestamp(device.last_backup_date_time.as_deref()),
                device_id: device.id,
                device_name: device.device_name,
            })
            .collect())
    }

    /// The device's newest password, decoded; `None` when the directory has no such device or
    /// no password of it.
    pub async fn device_password(
        &self,
        app: &SignInApp,
        tenant_id: &AzureTenantId,
        device_id: &str,
    ) -> Result<Option<DevicePassword>, CustomerDirectoryError> {
        let mut url = match self.object_url(DEVICES, device_id, None) {
            Ok(url) => url,
            Err(CustomerDirectoryError::NotFound) => return Ok(None),
            Err(error) => return Err(error),
        };
        url.query_pairs_mut().append_pair("$select", "credentials");
        let token = self.directory_token(app, tenant_id).await?;
        let mut patience = Patience::new(&self.settings);
        let answer = self
            .send(Method::GET, &url, &token, None, &mut patience)
            .await?;
        match answer.status {
            StatusCode::NOT_FOUND => return Ok(None),
            status if status.is_success() => {}
            _ => return Err(refused(&answer, PERMISSION)),
        }
        let device: DeviceCredentialsJson = answer.json("a device's credentials")?;
        // Graph lists earlier passwords too; the newest backup is the one in force.
        let Some(newest) = device
            .credentials
            .into_iter()
            .max_by_key(|credential| timestamp(credential.backup_date_time.as_deref()))
        else {
            return Ok(None);
        };
        tracing::info!(tenant = %tenant_id, device_id, "revealed a device's LAPS password");
        Ok(Some(DevicePassword {
            device_name: device.device_name,
            password: decode_password(&newest.password_base64)?,
            backup_time: timestamp(newest.backup_date_time.as_deref()),
            account_name: newest.account_name,
        }))
    }
}

/// Base64 of the password's bytes: UTF-8 as Graph's reference shows it, or UTF-16LE as the
/// example in Microsoft's LAPS documentation decodes. UTF-8 text never holds a NUL byte, while
/// UTF-16LE of the characters a password uses always does.
fn decode_password(encoded: &str) -> Result<LapsPassword, GraphError> {
    let unreadable =
        || GraphError::UnexpectedAnswer("a LAPS password that is not readable text".to_owned());
    let bytes = STANDARD.decode(encoded.trim()).map_err(|_| unreadable())?;
    if bytes.is_empty() {
        return Err(unreadable());
    }
    if !bytes.contains(&0) {
        return String::from_utf8(bytes)
            .map(LapsPassword)
            .map_err(|_| unreadable());
    }
    if bytes.len() % 2 != 0 {
        return Err(unreadable());
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    let text = String::from_utf16(&units).map_err(|_| unreadable())?;
    Ok(LapsPassword(
        text.trim_start_matches('\u{feff}')
            .trim_end_matches('\0')
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn a_utf8_password_is_decoded_as_it_is() {
        let decoded = decode_password("VHE3I21SMnYhTHg5S2Q0cA==").unwrap();
        assert_eq!(decoded.expose(), "Tq7#mR2v!Lx9Kd4p");
    }

    #[test]
    fn a_utf16le_password_is_decoded_with_or_without_its_mark_and_terminator() {
        let plain = STANDARD.encode(utf16le("Wx3!kP9#qL2mÄ"));
        assert_eq!(decode_password(&plain).unwrap().expose(), "Wx3!kP9#qL2mÄ");
        let marked = STANDARD.encode(utf16le("\u{feff}Wx3!kP9#\0"));
        assert_eq!(decode_password(&marked).unwrap().expose(), "Wx3!kP9#");
    }

    #[test]
    fn bytes_that_are_no_text_are_an_unexpected_answer_that_shows_nothing_of_them() {
        for encoded in [
            "",
            "not base64!",
            &STANDARD.encode([0x41, 0x00, 0x42]),
            &STANDARD.encode([0xff, 0xfe, 0xff]),
        ] {
            let error = decode_password(encoded).unwrap_err();
            assert_eq!(
                error,
                GraphError::UnexpectedAnswer(
                    "a LAPS password that is not readable text".to_owned()
                )
            );
        }
    }

    #[test]
    fn graphs_seven_digit_timestamps_are_read() {
        let time = timestamp(Some("2026-11-28T03:12:45.0000000Z")).unwrap();
        assert_eq!(time.to_rfc3339(), "2026-11-28T03:12:45+00:00");
        assert_eq!(timestamp(Some("yesterday")), None);
    }

    #[test]
    fn a_revealed_passwords_debug_hides_it() {
        let password = DevicePassword {
            device_name: "WGB-LT-0142".to_owned(),
            account_name: "Administrator".to_owned(),
            password: LapsPassword("Tq7#mR2v!Lx9Kd4p".to_owned()),
            backup_time: None,
        };
        assert!(!format!("{password:?}").contains("Tq7#"));
    }
}
