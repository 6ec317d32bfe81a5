//! The `msp-onboarding` command line.

use std::io::BufRead;

use clap::{Parser, Subcommand, ValueEnum};
use domain::{AzureTenantId, ClaimSet, Email, NewPassword, TenantName};
use proto::{LicensingOption, Role, TenantType};
use uuid::Uuid;

use crate::{
    infra::config::Settings,
    infra::db,
    infra::startup::Application,
    routes::openapi,
    services::audit::{self, AuditRecord, Source},
    services::tenancy::{self, NewTenant},
    services::users::{self, NewUser},
};

#[derive(Debug, Parser)]
#[command(
    name = "msp-onboarding",
    version,
    about = "MSP Onboarding: onboard CSP customers from Microsoft Entra ID"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (API, docs and web app).
    Serve(Box<Settings>),
    /// Apply pending database migrations and exit.
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        #[arg(long, env = "APP_DATA_DIR", default_value = "./data")]
        data_dir: std::path::PathBuf,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Create a distributor or reseller and its first admin user (password from
    /// APP_ADMIN_PASSWORD or the first line of standard input).
    Bootstrap(BootstrapArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BootstrapTenantType {
    Distributor,
    Reseller,
}

#[derive(Debug, clap::Args)]
pub struct BootstrapArgs {
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[arg(long, env = "APP_DATA_DIR", default_value = "./data")]
    pub data_dir: std::path::PathBuf,
    #[arg(long, value_enum)]
    pub tenant_type: BootstrapTenantType,
    #[arg(long)]
    pub tenant_name: String,
    /// The distributor a reseller belongs to, if any.
    #[arg(long)]
    pub parent_id: Option<Uuid>,
    /// Turn monthly billing off (it is on by default).
    #[arg(long)]
    pub no_monthly_billing: bool,
    /// Licensing option codes the tenant holds (comma-separated; default: all).
    #[arg(long, value_delimiter = ',')]
    pub licensing_options: Option<Vec<String>>,
    /// The tenant's Microsoft Entra tenant ID.
    #[arg(long)]
    pub azure_tenant_id: Option<String>,
    #[arg(long)]
    pub admin_email: String,
}

fn database_url(explicit: Option<String>, data_dir: &std::path::Path) -> String {
    explicit.unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("msp-onboarding.db").display()
        )
    })
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(settings) => serve(*settings).await,
        Command::Migrate {
            database_url: url,
            data_dir,
        } => {
            db::connect_and_migrate(&database_url(url, &data_dir)).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Openapi => {
            print!("{}", openapi::document_json()?);
            Ok(())
        }
        Command::Bootstrap(args) => bootstrap(args).await,
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let application = Application::build(&settings).await?;
    let host = settings
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    let host = if host == "0.0.0.0" { "127.0.0.1" } else { host };
    println!(
        "MSP Onboarding is running at http://{host}:{}/",
        application.port()
    );
    println!("API docs: http://{host}:{}/api-docs/", application.port());
    #[cfg(feature = "demo")]
    if settings.demo {
        println!(
            "Demo sign-in: {} / {} (see the README for the other demo users)",
            crate::demo::DEMO_ADMIN_EMAIL,
            crate::demo::DEMO_PASSWORD
        );
    }
    application.run_until_stopped().await?;
    Ok(())
}

fn admin_password() -> anyhow::Result<NewPassword> {
    let raw = match std::env::var("APP_ADMIN_PASSWORD") {
        Ok(value) => value,
        Err(_) => {
            eprintln!(
                "Password for the admin user (at least {} characters):",
                NewPassword::MIN_CHARS
            );
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    NewPassword::parse(&raw).map_err(|error| anyhow::anyhow!("password: {error}"))
}

async fn bootstrap(args: BootstrapArgs) -> anyhow::Result<()> {
    let name = TenantName::parse(&args.tenant_name)
        .map_err(|error| anyhow::anyhow!("--tenant-name: {error}"))?;
    let email = Email::parse(&args.admin_email)
        .map_err(|error| anyhow::anyhow!("--admin-email: {error}"))?;
    let licensing_options = match &args.licensing_options {
        None => LicensingOption::ALL.to_vec(),
        Some(codes) => codes
            .iter()
            .map(|code| {
                LicensingOption::from_code(code.trim())
                    .ok_or_else(|| anyhow::anyhow!("--licensing-options: unknown option {code:?}"))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let azure_tenant_id = args
        .azure_tenant_id
        .as_deref()
        .map(AzureTenantId::parse)
        .transpose()
        .map_err(|error| anyhow::anyhow!("--azure-tenant-id: {error}"))?;
    let password = admin_password()?;
    let db = db::connect_and_migrate(&database_url(args.database_url, &args.data_dir)).await?;
    let tenant_type = match args.tenant_type {
        BootstrapTenantType::Distributor => TenantType::Distributor,
        BootstrapTenantType::Reseller => TenantType::Reseller,
    };
    let tenant = tenancy::create_tenant(
        &db,
        NewTenant {
            name,
            tenant_type,
            parent_id: args.parent_id,
            monthly_billing: !args.no_monthly_billing,
            licensing_options,
            azure_tenant_id,
        },
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))?;
    let user = users::create_user(
        &db,
        NewUser {
            tenant_id: tenant.id,
            email,
            password,
            role: Role::Admin,
            claims: ClaimSet::all(),
        },
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))?;
    audit::record(
        &db,
        AuditRecord {
            copy_to_msp: None,
            tenant_id: tenant.id,
            actor_user_id: None,
            source: Source::Cli,
            source_ip: None,
            action: "tenant.bootstrap",
            target: format!("tenant:{}", tenant.id),
            details: Some(serde_json::json!({ "name": tenant.name, "admin_user_id": user.id })),
        },
    )
    .await
    .map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "created {} {:?} ({})",
        tenant.tenant_type.as_str(),
        tenant.name,
        tenant.id
    );
    println!("created admin {} ({})", user.email, user.id);
    Ok(())
}
