//! The demo's Duo (SPEC §14): the fake Duo on loopback, Demo Reseller's Duo Web SDK integration
//! pointing at it, and `duo@demo-reseller.test`, who signs in with Duo's prompt.

use chrono::Utc;
use domain::ClaimSet;
use entity::{security_integration, tenant, user};
use msp_fake_duo::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DuoFixture, FakeDuo};
use proto::{Role, SecurityIntegrationKind, TenantType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::{RESELLER_NAME, ensure_user};
use crate::{
    infra::{auth::MfaKey, config::OutsideServices},
    services::{
        audit::{self, AuditRecord, Source},
        users,
    },
};

/// Use MFA on, Duo linked, no authenticator app: Duo's prompt is its second factor.
pub const DEMO_DUO_EMAIL: &str = "duo@demo-reseller.test";
const INTEGRATION_NAME: &str = "Duo";

/// Starts the fake Duo, lets the server reach and trust it, and points the demo integration at
/// its port (a new one at every start).
pub async fn start(
    db: &DatabaseConnection,
    mfa_key: &MfaKey,
    outside: &mut OutsideServices,
) -> anyhow::Result<FakeDuo> {
    let fake = FakeDuo::start(DuoFixture::demo(), "127.0.0.1:0")?;
    outside.duo.extra_root_certificate_pem = Some(fake.certificate_pem().to_owned());
    outside.duo_extra_hosts.push(fake.api_hostname().to_owned());
    let reseller = tenant::Entity::find()
        .filter(tenant::Column::Name.eq(RESELLER_NAME))
        .filter(tenant::Column::TenantType.eq(TenantType::Reseller))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo reseller is missing"))?;
    ensure_integration(db, mfa_key, reseller.id, fake.api_hostname()).await?;
    ensure_duo_user(db, reseller.id).await?;
    tracing::info!(
        api_hostname = fake.api_hostname(),
        "demo: the fake Duo serves on loopback"
    );
    Ok(fake)
}

async fn ensure_integration(
    db: &DatabaseConnection,
    mfa_key: &MfaKey,
    tenant_id: Uuid,
    api_hostname: &str,
) -> anyhow::Result<()> {
    let kind = SecurityIntegrationKind::DuoWebSdk.as_str();
    let existing = security_integration::Entity::find()
        .filter(security_integration::Column::TenantId.eq(tenant_id))
        .filter(security_integration::Column::Kind.eq(kind))
        .one(db)
        .await?;
    let sealed_secret = mfa_key.encrypt(DEMO_CLIENT_SECRET)?;
    let now = Utc::now();
    match existing {
        Some(stored) => {
            // Only what the new fake changed: an admin's name or on/off stays as they left it.
            let mut moved: security_integration::ActiveModel = stored.into();
            moved.api_hostname = Set(api_hostname.to_owned());
            moved.client_id = Set(DEMO_CLIENT_ID.to_owned());
            moved.client_secret_ciphertext = Set(sealed_secret);
            moved.update(db).await?;
        }
        None => {
            let created = security_integration::ActiveModel {
                id: Set(Uuid::new_v4()),
                tenant_id: Set(tenant_id),
                kind: Set(kind.to_owned()),
                name: Set(INTEGRATION_NAME.to_owned()),
                client_id: Set(DEMO_CLIENT_ID.to_owned()),
                client_secret_ciphertext: Set(sealed_secret),
                api_hostname: Set(api_hostname.to_owned()),
                enabled: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
            audit::record(
                db,
                AuditRecord {
                    copy_to_msp: None,
                    tenant_id,
                    actor_user_id: None,
                    source: Source::Demo,
                    source_ip: None,
                    action: "security_integration.create",
                    target: format!("security_integration:{}", created.id),
                    details: Some(serde_json::json!({ "kind": kind, "name": INTEGRATION_NAME })),
                },
            )
            .await
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        }
    }
    Ok(())
}

async fn ensure_duo_user(db: &DatabaseConnection, tenant_id: Uuid) -> anyhow::Result<()> {
    let Some(created) = ensure_user(
        db,
        tenant_id,
        DEMO_DUO_EMAIL,
        Role::Technician,
        ClaimSet::all(),
    )
    .await?
    else {
        return Ok(());
    };
    let user_id = created.id;
    users::set_permissions(db, created, true, true)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let stored = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo Duo user vanished"))?;
    let mut linked: user::ActiveModel = stored.into();
    linked.duo_linked_at = Set(Some(Utc::now()));
    linked.update(db).await?;
    Ok(())
}
