//! `GET /v1.0/directory/deviceLocalCredentials` (paged, optionally `$filter=deviceName eq '…'`)
//! and `GET /v1.0/directory/deviceLocalCredentials/{deviceId}` of the token's tenant, with the
//! LAPS passwords only for `$select=credentials` and `DeviceLocalCredential.Read.All`, as Graph
//! answers them. Graph documents `User-Agent` as required on these calls and refuses a request
//! without one; `ocp-client-name` and `ocp-client-version` it documents as optional, for its own
//! debugging, so the fake accepts requests without them too.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::graph_call::{
    answer, filter_clauses, insufficient_privileges, not_found, unsupported_filter, with_context,
};
use crate::{
    contracts::graph_error, faults::GraphPermission, fixture::DirectoryDevice, server::FakeState,
};

const CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#directory/deviceLocalCredentials";

/// Either permission lists devices; only `Read.All` reveals passwords.
const LIST: [GraphPermission; 2] = [
    GraphPermission::DeviceLocalCredentialReadBasicAll,
    GraphPermission::DeviceLocalCredentialReadAll,
];

#[derive(Deserialize)]
pub(crate) struct DevicesQuery {
    #[serde(rename = "$filter")]
    filter: Option<String>,
    #[serde(rename = "$skiptoken")]
    skip_token: Option<String>,
    #[serde(rename = "$select")]
    select: Option<String>,
}

/// Graph's answer to a LAPS request without `User-Agent` (reqwest sends none by default).
fn without_user_agent(request: &HttpRequest) -> Option<HttpResponse> {
    let present = request
        .headers()
        .get(header::USER_AGENT)
        .is_some_and(|value| !value.is_empty());
    (!present).then(|| {
        graph_error(
            400,
            "invalid_request",
            "The request failed with status BadRequest (400). Parameter (User-Agent) is required \
             but missing from headers",
        )
    })
}

fn device_json(device: &DirectoryDevice) -> Value {
    json!({
        "id": device.device_id,
        "deviceName": device.device_name,
        "lastBackupDateTime": device.backup_date_time,
        "refreshDateTime": device.refresh_date_time,
    })
}

pub(crate) async fn list_devices(
    state: web::Data<FakeState>,
    request: HttpRequest,
    query: web::Query<DevicesQuery>,
) -> HttpResponse {
    answer(&state, &request, &LIST, |tenant| {
        if let Some(refusal) = without_user_agent(&request) {
            return refusal;
        }
        let resource = "DeviceLocalCredentialInfo";
        let clauses = match filter_clauses(query.filter.as_deref(), resource) {
            Ok(clauses) => clauses,
            Err(refusal) => return *refusal,
        };
        let name = match clauses.as_slice() {
            [] => None,
            [(property, value)] if property == "deviceName" => Some(value.clone()),
            _ => return unsupported_filter(resource),
        };
        let Some(offset) = query
            .skip_token
            .as_deref()
            .map_or(Some(0), |token| token.parse::<usize>().ok())
        else {
            return graph_error(
                400,
                "Request_BadRequest",
                "The specified page token value has expired or is invalid.",
            );
        };
        let devices: Vec<DirectoryDevice> = state
            .entra
            .devices_of(tenant)
            .into_iter()
            .filter(|device| {
                name.as_deref()
                    .is_none_or(|name| device.device_name.eq_ignore_ascii_case(name))
            })
            .collect();
        let start = offset.min(devices.len());
        let end = start
            .saturating_add(state.fixture.page_size.max(1))
            .min(devices.len());
        let value: Vec<Value> = devices[start..end].iter().map(device_json).collect();
        let mut body = json!({ "@odata.context": CONTEXT, "value": value });
        if end < devices.len() {
            let filter = query
                .filter
                .as_deref()
                .map(|filter| format!("$filter={}&", utf8_percent_encode(filter, NON_ALPHANUMERIC)))
                .unwrap_or_default();
            let next = format!(
                "https://{}/v1.0/directory/deviceLocalCredentials?{filter}$skiptoken={end}",
                request.connection_info().host()
            );
            if let Some(object) = body.as_object_mut() {
                object.insert("@odata.nextLink".to_owned(), Value::String(next));
            }
        }
        HttpResponse::Ok().json(body)
    })
    .await
}

pub(crate) async fn get_device(
    state: web::Data<FakeState>,
    request: HttpRequest,
    device_id: web::Path<String>,
    query: web::Query<DevicesQuery>,
) -> HttpResponse {
    answer(&state, &request, &LIST, |tenant| {
        if let Some(refusal) = without_user_agent(&request) {
            return refusal;
        }
        let with_credentials = query.select.as_deref().is_some_and(|select| {
            select
                .split(',')
                .any(|property| property.trim().eq_ignore_ascii_case("credentials"))
        });
        if with_credentials
            && state
                .faults
                .lacks(GraphPermission::DeviceLocalCredentialReadAll)
        {
            return insufficient_privileges();
        }
        let Some(device) = state
            .entra
            .devices_of(tenant)
            .into_iter()
            .find(|device| device.device_id.eq_ignore_ascii_case(&device_id))
        else {
            return not_found(&device_id);
        };
        let mut body = device_json(&device);
        if let (true, Some(object)) = (with_credentials, body.as_object_mut()) {
            object.insert(
                "credentials".to_owned(),
                json!([{
                    "accountName": device.account_name,
                    "accountSid": device.account_sid,
                    "backupDateTime": device.backup_date_time,
                    "passwordBase64": device.password_base64,
                }]),
            );
        }
        let context = if with_credentials {
            format!("{CONTEXT}(credentials)/$entity")
        } else {
            format!("{CONTEXT}/$entity")
        };
        HttpResponse::Ok().json(with_context(&context, body))
    })
    .await
}
