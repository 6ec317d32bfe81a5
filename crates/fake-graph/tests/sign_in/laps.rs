//! LAPS in a customer's tenant (SPEC §16): Graph's `directory/deviceLocalCredentials`, listing
//! Woodgrove Bank's devices without passwords and revealing one with `$select=credentials`.

use base64::engine::general_purpose::STANDARD;
use msp_fake_graph::{DirectoryDevice, GraphPermission};
use reqwest::Method;

use super::customer_tenant::*;
use super::*;

const DEVICES: &str = "/v1.0/directory/deviceLocalCredentials";
const LAPTOP: &str = "4f8a2c6e-1b3d-4e5f-9a7b-0c1d2e3f4a51";

impl CustomerGraph {
    /// A LAPS request as the product sends it, with `User-Agent` and the `ocp-client-*` headers.
    async fn laps(&self, path: &str) -> (StatusCode, Value) {
        answer(
            self.request(Method::GET, path)
                .header(header::USER_AGENT, "msp-onboarding/0.1")
                .header("ocp-client-name", "MSP Onboarding")
                .header("ocp-client-version", "0.1"),
        )
        .await
    }
}

fn names(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|device| device["deviceName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn laps_lists_the_tenants_devices_page_by_page_without_passwords() {
    let mut fixture = Fixture::demo().unwrap();
    fixture.page_size = 3;
    let graph = CustomerGraph::connect_to(fixture).await;
    let mut elsewhere = graph.fake().fixture().sign_in.devices[0].clone();
    elsewhere.tenant_id = HOME_TENANT.to_owned();
    elsewhere.device_id = "99999999-0000-4000-8000-000000000001".to_owned();
    elsewhere.device_name = "RESELLER-PC".to_owned();
    graph.fake().entra().put_device(elsewhere);

    let (status, first) = graph.laps(DEVICES).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        first["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#directory/deviceLocalCredentials"
    );
    let device = &first["value"][0];
    assert_eq!(device["id"], LAPTOP);
    assert_eq!(device["deviceName"], "WGB-LT-0142");
    assert_eq!(device["lastBackupDateTime"], "2026-11-28T03:12:45.0000000Z");
    assert_eq!(device["refreshDateTime"], "2026-12-28T03:12:45.0000000Z");
    assert!(!first.to_string().contains("credentials"), "{first}");
    let next = Url::parse(first["@odata.nextLink"].as_str().unwrap()).unwrap();
    let (_, second) = graph.laps(&next[url::Position::BeforePath..]).await;
    assert!(second.get("@odata.nextLink").is_none(), "{second}");
    let mut all = names(&first);
    all.extend(names(&second));
    assert_eq!(
        all,
        ["WGB-LT-0142", "WGB-LT-0188", "WGB-DT-0007", "WGB-KIOSK-03"]
    );

    let filter = encoded(&[("$filter", "deviceName eq 'wgb-dt-0007'")]);
    let (_, found) = graph.laps(&format!("{DEVICES}?{filter}")).await;
    assert_eq!(names(&found), ["WGB-DT-0007"]);
    let unsupported = encoded(&[("$filter", "startswith(deviceName,'WGB')")]);
    let (status, _) = graph.laps(&format!("{DEVICES}?{unsupported}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_devices_password_comes_only_with_select_credentials() {
    let graph = CustomerGraph::connect().await;
    let (status, basic) = graph.laps(&format!("{DEVICES}/{LAPTOP}")).await;
    assert_eq!(status, StatusCode::OK, "{basic}");
    assert_eq!(basic["deviceName"], "WGB-LT-0142");
    assert!(basic.get("credentials").is_none(), "{basic}");

    let (status, revealed) = graph
        .laps(&format!("{DEVICES}/{LAPTOP}?$select=credentials"))
        .await;
    assert_eq!(status, StatusCode::OK, "{revealed}");
    assert_eq!(revealed["id"], LAPTOP);
    let credential = &revealed["credentials"][0];
    assert_eq!(credential["accountName"], "Administrator");
    assert!(credential["accountSid"].as_str().unwrap().ends_with("-500"));
    assert_eq!(credential["backupDateTime"], "2026-11-28T03:12:45.0000000Z");
    let password = STANDARD
        .decode(credential["passwordBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(password).unwrap(), "Tq7#mR2v!Lx9Kd4p");
    let log = graph.fake().entra().calls();
    let reveal = log.last().unwrap();
    assert_eq!(reveal.request_line(), format!("GET {DEVICES}/{LAPTOP}"));
    assert_eq!(reveal.query, "$select=credentials");
}

#[tokio::test]
async fn laps_requires_a_user_agent_but_not_the_optional_ocp_client_headers() {
    let graph = CustomerGraph::connect().await;
    let bare = answer(graph.request(Method::GET, DEVICES)).await;
    assert_graph_error(
        &bare,
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "The request failed with status BadRequest (400). Parameter (User-Agent) is required but \
         missing from headers",
    );
    let (status, _) = answer(
        graph
            .request(Method::GET, &format!("{DEVICES}/{LAPTOP}"))
            .header(header::USER_AGENT, "msp-onboarding/0.1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_device_is_not_found_and_passwords_need_device_local_credential_read_all() {
    let graph = CustomerGraph::connect().await;
    let unknown = "00000000-0000-4000-8000-00000000000c";
    let missing = graph.laps(&format!("{DEVICES}/{unknown}")).await;
    assert_not_found(&missing, unknown);

    let faults = graph.fake().faults();
    faults.deny_graph_permission(GraphPermission::DeviceLocalCredentialReadAll, true);
    assert_eq!(
        graph.laps(DEVICES).await.0,
        StatusCode::OK,
        "ReadBasic lists"
    );
    let reveal = graph
        .laps(&format!("{DEVICES}/{LAPTOP}?$select=credentials"))
        .await;
    assert_denied(&reveal);
    faults.deny_graph_permission(GraphPermission::DeviceLocalCredentialReadBasicAll, true);
    let listing = graph.laps(DEVICES).await;
    assert_denied(&listing);
}

#[test]
fn a_fixture_without_devices_still_loads_and_a_devices_debug_hides_its_password() {
    let mut json: Value = serde_json::from_str(include_str!("../../fixtures/demo.json")).unwrap();
    json["sign_in"].as_object_mut().unwrap().remove("devices");
    let fixture = Fixture::from_json(&json.to_string()).unwrap();
    assert!(fixture.sign_in.devices.is_empty());
    let device: &DirectoryDevice = &Fixture::demo().unwrap().sign_in.devices[0];
    let debug = format!("{device:?}");
    assert!(!debug.contains(&device.password_base64), "{debug}");
}
