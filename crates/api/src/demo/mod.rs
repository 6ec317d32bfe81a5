//! The demo data of SPEC §11, seeded idempotently by `serve --demo`.

use chrono::{Duration, Utc};
use domain::{AzureTenantId, ClaimSet, Email, NewPassword, TenantName};
use entity::{activation, customer, tenant};
use proto::{Claim, LicensingOption, Role, TenantType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, sea_query::ExprTrait,
};
use uuid::Uuid;

use msp_fake_duo::FakeDuo;
use msp_fake_graph::{FakeGraph, Fixture};

use crate::{
    infra::{
        auth::MfaKey,
        config::{OutsideServices, Settings},
    },
    services::audit::{self, AuditRecord, Source},
    services::customers::{self, CustomerRecord},
    services::mfa,
    services::provisioning,
    services::tenancy::{self, NewTenant},
    services::users::{self, NewUser},
};

mod duo;
mod entra_msp;

pub use entra_msp::{DEMO_ENTRA_ADMIN_EMAIL, ENTRA_RESELLER_NAME};

pub use duo::DEMO_DUO_EMAIL;

pub const DEMO_PASSWORD: &str = "demo-password-1";
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo-reseller.test";
/// Use MFA on, TOTP enrolled with [`DEMO_TOTP_SECRET`] (SPEC §17).
pub const DEMO_MFA_EMAIL: &str = "mfa@demo-reseller.test";
/// Published in the README for the demo only.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";
/// Allow access to UI off: an integration account for API tokens only (SPEC §17).
pub const DEMO_API_ONLY_EMAIL: &str = "api-only@demo-reseller.test";
/// A technician provisioned from Microsoft Entra over SCIM (SPEC §13): no password, it signs in
/// with Microsoft.
pub const DEMO_SCIM_EMAIL: &str = "scim.tech@demo-reseller.test";
/// Its Entra object ID (`externalId`), which the fake Entra's ID tokens carry as `oid`.
pub const DEMO_SCIM_OBJECT_ID: &str = "5c1d0e2f-8a7b-4c3d-9e6f-1a2b3c4d5e6f";
pub const DISTRIBUTOR_NAME: &str = "Demo Distribution";
pub const RESELLER_NAME: &str = "Demo Reseller";

/// Corporate customers already under the demo reseller: name, age in days, total and active
/// licences, Azure tenant ID. Woodgrove Bank's tenant ID is one the demo fake Graph also lists,
/// under another name.
const DEMO_CUSTOMERS: [(&str, i64, u32, u32, Option<&str>); 6] = [
    ("Contoso Ltd", 340, 50, 12, None),
    ("Fabrikam Inc", 250, 120, 118, None),
    ("Northwind Traders", 120, 25, 5, None),
    ("Tailspin Toys", 45, 10, 10, None),
    (
        "Woodgrove Bank",
        10,
        200,
        150,
        Some("3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a"),
    ),
    ("Adatum Corporation", 2, 15, 0, None),
];

async fn ensure_tenant(
    db: &DatabaseConnection,
    new: NewTenant,
    age_days: i64,
) -> anyhow::Result<tenant::Model> {
    let mut existing = tenant::Entity::find()
        .filter(tenant::Column::Name.eq(new.name.as_str()))
        .filter(tenant::Column::TenantType.eq(new.tenant_type));
    existing = match new.parent_id {
        Some(parent_id) => existing.filter(tenant::Column::ParentId.eq(parent_id)),
        None => existing.filter(tenant::Column::ParentId.is_null()),
    };
    if let Some(found) = existing.one(db).await? {
        return Ok(found);
    }
    let created = tenancy::create_tenant(db, new)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let mut backdated: tenant::ActiveModel = created.into();
    backdated.created_at = Set(Utc::now() - Duration::days(age_days));
    let created = backdated.update(db).await?;
    audit::record(
        db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id: created.id,
            actor_user_id: None,
            source: Source::Demo,
            source_ip: None,
            action: "tenant.create",
            target: format!("tenant:{}", created.id),
            details: Some(serde_json::json!({ "name": created.name, "type": created.tenant_type })),
        },
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(created)
}

fn name(raw: &str) -> anyhow::Result<TenantName> {
    TenantName::parse(raw).map_err(|error| anyhow::anyhow!("demo tenant name {raw:?}: {error}"))
}

/// The demo user `email`, created when missing (`None` when it already existed).
pub(crate) async fn ensure_user(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    email: &str,
    role: Role,
    claims: ClaimSet,
) -> anyhow::Result<Option<entity::user::Model>> {
    let email =
        Email::parse(email).map_err(|error| anyhow::anyhow!("demo e-mail {email:?}: {error}"))?;
    if users::find_by_email(db, &email)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?
        .is_some()
    {
        return Ok(None);
    }
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|error| anyhow::anyhow!("{error}"))?;
    users::create_user(
        db,
        NewUser {
            tenant_id,
            email,
            password,
            role,
            claims,
        },
    )
    .await
    .map(Some)
    .map_err(|error| anyhow::anyhow!("{error}"))
}

async fn ensure_customer(
    db: &DatabaseConnection,
    reseller: &tenant::Model,
    name_raw: &str,
    age_days: i64,
    (total, active): (u32, u32),
    azure_tenant_id: Option<&str>,
) -> anyhow::Result<()> {
    let name = name(name_raw)?;
    let exists = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(reseller.id))
        .filter(customer::Column::NameKey.eq(name.key()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let azure_tenant_id = azure_tenant_id
        .map(AzureTenantId::parse)
        .transpose()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let created = ensure_tenant(
        db,
        NewTenant {
            name: name.clone(),
            tenant_type: TenantType::Corporate,
            parent_id: Some(reseller.id),
            monthly_billing: true,
            licensing_options: vec![LicensingOption::DnsSecurity, LicensingOption::Ngav],
            azure_tenant_id,
        },
        age_days,
    )
    .await?;
    let (_, key) = customers::insert_record(
        db,
        CustomerRecord {
            tenant_id: created.id,
            reseller_id: reseller.id,
            name: &name,
            tenant_name: None,
            display_name: None,
            email: format!("it@{}.example", name.key().replace(' ', "-")),
            details: None,
            total_licenses: total,
            active_licenses: active,
            spla: false,
            opt_in_master_gp: false,
            azure_tenant_id: azure_tenant_id.map(|id| id.to_string()),
            created_at: created.created_at,
        },
    )
    .await
    .map_err(|error| anyhow::anyhow!("demo customer {name_raw:?}: {error}"))?;
    for device in 0..active {
        activation::ActiveModel {
            id: Set(Uuid::new_v4()),
            licence_key_id: Set(key.id),
            device_id: Set(format!("demo-device-{device:04}")),
            activated_at: Set(created.created_at),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The demo user that lacks exactly `claim`.
pub fn demo_email_without(claim: Claim) -> String {
    format!("no-{}@demo-reseller.test", claim.as_str().replace('_', "-"))
}

/// Refuses a database with tenants of its own: the demo's users have a published password, so
/// seeding them into real data would open it to anyone who reads the README.
async fn refuse_foreign_data(db: &DatabaseConnection) -> anyhow::Result<()> {
    let foreign_roots = tenant::Entity::find()
        .filter(tenant::Column::ParentId.is_null())
        .filter(
            tenant::Column::Name
                .ne(DISTRIBUTOR_NAME)
                .or(tenant::Column::TenantType.ne(TenantType::Distributor)),
        )
        .count(db)
        .await?;
    if foreign_roots > 0 {
        anyhow::bail!(
            "refusing to seed the demo data: this database holds {foreign_roots} top-level tenant(s) the demo did not create, and the demo users' password is published; use --demo only with a fresh --data-dir or database"
        );
    }
    Ok(())
}

pub async fn seed(db: &DatabaseConnection, mfa_key: &MfaKey) -> anyhow::Result<()> {
    refuse_foreign_data(db).await?;
    let distributor = ensure_tenant(
        db,
        NewTenant {
            name: name(DISTRIBUTOR_NAME)?,
            tenant_type: TenantType::Distributor,
            parent_id: None,
            monthly_billing: true,
            licensing_options: LicensingOption::ALL.to_vec(),
            azure_tenant_id: None,
        },
        900,
    )
    .await?;
    let reseller = ensure_tenant(
        db,
        NewTenant {
            name: name(RESELLER_NAME)?,
            tenant_type: TenantType::Reseller,
            parent_id: Some(distributor.id),
            monthly_billing: true,
            licensing_options: LicensingOption::ALL
                .into_iter()
                .filter(|option| *option != LicensingOption::PrivilegedAccess)
                .collect(),
            azure_tenant_id: None,
        },
        700,
    )
    .await?;
    for (customer, age_days, total, active, azure_tenant_id) in DEMO_CUSTOMERS {
        ensure_customer(
            db,
            &reseller,
            customer,
            age_days,
            (total, active),
            azure_tenant_id,
        )
        .await?;
    }
    ensure_user(
        db,
        reseller.id,
        DEMO_ADMIN_EMAIL,
        Role::Admin,
        ClaimSet::all(),
    )
    .await?;
    for missing in Claim::ALL {
        ensure_user(
            db,
            reseller.id,
            &demo_email_without(missing),
            Role::Technician,
            ClaimSet::all_but(missing),
        )
        .await?;
    }
    let technician = |email| ensure_user(db, reseller.id, email, Role::Technician, ClaimSet::all());
    if let Some(created) = technician(DEMO_MFA_EMAIL).await? {
        let user_id = created.id;
        users::set_permissions(db, created, true, true)
            .await
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        mfa::enrol_confirmed(db, mfa_key, user_id, DEMO_TOTP_SECRET)
            .await
            .map_err(|error| anyhow::anyhow!("{error}"))?;
    }
    if let Some(created) = technician(DEMO_API_ONLY_EMAIL).await? {
        users::set_permissions(db, created, false, false)
            .await
            .map_err(|error| anyhow::anyhow!("{error}"))?;
    }
    ensure_provisioned_technician(db, reseller.id).await?;
    entra_msp::seed(db, &distributor).await?;
    tracing::info!("demo data ready");
    Ok(())
}

/// The demo's technician from Entra, created through the SCIM service as Entra's provisioning
/// would create it.
async fn ensure_provisioned_technician(
    db: &DatabaseConnection,
    tenant_id: Uuid,
) -> anyhow::Result<()> {
    let user_name = domain::ScimUserName::parse(DEMO_SCIM_EMAIL)?;
    let exists = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(user_name.as_str()))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(());
    }
    let wanted = provisioning::users::ProvisionedUser {
        user_name,
        display_name: domain::DisplayName::parse("Sam Rivera")?,
        external_id: Some(domain::ExternalId::parse(DEMO_SCIM_OBJECT_ID)?),
        active: true,
        role: Role::Technician,
        profile: serde_json::json!({
            "active": true,
            "name": {"formatted": "Sam Rivera", "givenName": "Sam", "familyName": "Rivera"},
            "emails": [{"value": DEMO_SCIM_EMAIL, "type": "work", "primary": true}],
            "roles": [{"value": "Technician", "type": "WindowsAzureActiveDirectoryRole", "primary": true}]
        }),
    };
    let provisioner = provisioning::users::Provisioner {
        tenant_id,
        source_ip: None,
    };
    provisioning::users::create(db, &provisioner, wanted)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(())
}

/// What `--demo` runs beside the server: the fake Microsoft Graph (and Entra) and the fake Duo.
pub struct Running {
    pub graph: FakeGraph,
    pub duo: FakeDuo,
}

/// Seeds the demo data and starts the fakes on loopback, returning settings for the outside
/// services that point at them and trust their fresh certificates.
pub async fn start(
    settings: &Settings,
    db: &DatabaseConnection,
    mfa_key: &MfaKey,
) -> anyhow::Result<(OutsideServices, Running)> {
    tracing::warn!(
        "demo mode: the demo users' password is published in the README; never serve real data with --demo"
    );
    seed(db, mfa_key).await?;
    let fake = FakeGraph::start(Fixture::demo()?, "127.0.0.1:0")?;
    let mut outside = OutsideServices::from_settings(settings)?;
    outside.graph.authority_url = msp_graph::Url::parse(fake.authority_url())?;
    outside.graph.graph_url = msp_graph::Url::parse(fake.graph_url())?;
    outside.graph.extra_root_certificate_pem = Some(fake.certificate_pem().to_owned());
    tracing::info!(
        url = fake.graph_url(),
        "demo: the fake Microsoft Graph serves on loopback"
    );
    // Where to rename or add a sub-tenant while the demo runs (README, browser tests): its port
    // is chosen at start.
    let url_file = settings.data_dir.join("demo-fake-graph-url");
    std::fs::write(&url_file, fake.graph_url())
        .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", url_file.display()))?;
    let fake_duo = duo::start(db, mfa_key, &mut outside).await?;
    Ok((
        outside,
        Running {
            graph: fake,
            duo: fake_duo,
        },
    ))
}

/// The fake Entra's app registration for Sign in with Microsoft, used unless the operator
/// configured one.
pub fn sign_in_app(running: &Running) -> msp_graph::SignInApp {
    msp_graph::SignInApp {
        client_id: running.graph.sign_in_client_id().to_owned(),
        client_secret: running.graph.sign_in_client_secret().to_owned(),
    }
}

pub async fn stop(running: Running) {
    running.duo.stop().await;
    running.graph.stop().await;
}
