//! LAPS in a customer's directory: Woodgrove Bank's devices listed page by page, one device's
//! password revealed and decoded (UTF-8 or UTF-16LE), an unknown device, and the permission
//! that reveals passwords. The fake refuses any LAPS request without a `User-Agent`, as Graph
//! does, so every answer here also shows that the client sends one.

use base64::{Engine, engine::general_purpose::STANDARD};
use msp_fake_graph::{Fixture, GraphPermission};
use msp_graph::{CustomerDirectoryError, DirectoryPermission};

use super::customer_tenant::{Customer, WOODGROVE};

const LAPTOP: &str = "4f8a2c6e-1b3d-4e5f-9a7b-0c1d2e3f4a51";

#[tokio::test]
async fn every_device_with_a_backed_up_password_is_listed_across_pages() {
    let mut fixture = Fixture::demo().unwrap();
    fixture.page_size = 3;
    let customer = Customer::consented_with(fixture, |_| {}).await;
    let devices = customer
        .graph
        .list_device_credentials(&customer.app, &customer.tenant)
        .await
        .unwrap();
    let names: Vec<&str> = devices
        .iter()
        .map(|device| device.device_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["WGB-LT-0142", "WGB-LT-0188", "WGB-DT-0007", "WGB-KIOSK-03"]
    );
    assert_eq!(devices[0].device_id, LAPTOP);
    assert_eq!(
        devices[0].last_backup.unwrap().to_rfc3339(),
        "2026-11-28T03:12:45+00:00"
    );
    let pages = customer
        .calls()
        .iter()
        .filter(|call| call.starts_with("GET /v1.0/directory/deviceLocalCredentials"))
        .count();
    assert_eq!(pages, 2);
}

#[tokio::test]
async fn a_devices_password_is_revealed_decoded_and_its_debug_hides_it() {
    let customer = Customer::consented().await;
    let revealed = customer
        .graph
        .device_password(&customer.app, &customer.tenant, LAPTOP)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revealed.account_name, "Administrator");
    assert_eq!(revealed.device_name, "WGB-LT-0142");
    assert_eq!(revealed.password.expose(), "Tq7#mR2v!Lx9Kd4p");
    assert_eq!(
        revealed.backup_time.unwrap().to_rfc3339(),
        "2026-11-28T03:12:45+00:00"
    );
    assert!(!format!("{revealed:?}").contains("Tq7#mR2v"));
    let asked = customer.fake.entra().calls();
    let query: Vec<(String, String)> = url::form_urlencoded::parse(asked[0].query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(query, [("$select".to_owned(), "credentials".to_owned())]);
}

#[tokio::test]
async fn a_password_backed_up_as_utf16le_is_decoded_too() {
    let customer = Customer::consented().await;
    let mut device = customer.fake.fixture().sign_in.devices[0].clone();
    let utf16le: Vec<u8> = "Wx3!kP9#qL2mVb7$"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    device.password_base64 = STANDARD.encode(utf16le);
    assert_eq!(device.tenant_id, WOODGROVE);
    customer.fake.entra().put_device(device);
    let revealed = customer
        .graph
        .device_password(&customer.app, &customer.tenant, LAPTOP)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revealed.password.expose(), "Wx3!kP9#qL2mVb7$");
}

#[tokio::test]
async fn a_device_the_directory_does_not_know_has_no_password() {
    let customer = Customer::consented().await;
    let revealed = customer
        .graph
        .device_password(
            &customer.app,
            &customer.tenant,
            "00000000-0000-4000-8000-00000000000c",
        )
        .await;
    assert_eq!(revealed, Ok(None));
}

#[tokio::test]
async fn without_device_local_credential_read_all_a_reveal_is_permission_denied() {
    let customer = Customer::consented().await;
    let faults = customer.fake.faults();
    faults.deny_graph_permission(GraphPermission::DeviceLocalCredentialReadAll, true);
    let denied = Err::<(), _>(CustomerDirectoryError::PermissionDenied {
        permission: DirectoryPermission::DeviceLocalCredentialReadAll,
    });
    let revealed = customer
        .graph
        .device_password(&customer.app, &customer.tenant, LAPTOP)
        .await
        .map(|_| ());
    assert_eq!(revealed, denied);
    faults.deny_graph_permission(GraphPermission::DeviceLocalCredentialReadBasicAll, true);
    let listed = customer
        .graph
        .list_device_credentials(&customer.app, &customer.tenant)
        .await
        .map(|_| ());
    assert_eq!(listed, denied);
}
