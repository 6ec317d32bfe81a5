//! Boots the real application on a loopback port with a fresh database and data directory, and
//! runs every database test once on SQLite and once on PostgreSQL.

use std::{future::Future, io::Write, sync::OnceLock, time::Duration};

use domain::{ClaimSet, Email, NewPassword, TenantName};
use msp_api::{
    config::Settings,
    infra::{auth::MfaKey, secret::Secret},
    services::tenancy::{self, NewTenant},
    startup::Application,
    users::{self, NewUser},
};
use proto::{LicensingOption, Role, TenantType};
use reqwest::{Response, StatusCode, header};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tempfile::TempDir;
use uuid::Uuid;

/// Signs the access tokens of every test application, so tests can forge tokens with it.
pub const TEST_JWT_SECRET: &str = "integration-tests-only-signing-secret-0123456789";
/// 32 bytes, hex: the key TOTP secrets are encrypted with in tests.
pub const TEST_MFA_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
/// The password of every account the tests create (the demo accounts use the demo password).
pub const PASSWORD: &str = "correct-horse-battery-staple";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Runs a test body on both database back ends:
/// `db_test!(name, |app| async move { ... })`, or `db_test!(name, demo, |app| ...)` to boot the
/// application with `--demo`. Each expands to a module `name` with `on_sqlite` and `on_postgres`.
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:expr) => {
        db_test!(@expand $name, $crate::helpers::AppOptions { demo: false, ..Default::default() }, |$app| $body);
    };
    ($name:ident, demo, |$app:ident| $body:expr) => {
        db_test!(@expand $name, $crate::helpers::AppOptions { demo: true, ..Default::default() }, |$app| $body);
    };
    (@expand $name:ident, $options:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                $crate::helpers::run_db_test(
                    $crate::helpers::Backend::Sqlite,
                    concat!(module_path!(), "::on_sqlite"),
                    $options,
                    |$app: $crate::helpers::TestApp| $body,
                )
                .await;
            }

            #[tokio::test]
            async fn on_postgres() {
                $crate::helpers::run_db_test(
                    $crate::helpers::Backend::Postgres,
                    concat!(module_path!(), "::on_postgres"),
                    $options,
                    |$app: $crate::helpers::TestApp| $body,
                )
                .await;
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Boot with `demo: true`, as `serve --demo` does.
    pub demo: bool,
    /// Where the application finds Microsoft Graph; Microsoft's public cloud when `None`.
    pub graph: Option<msp_api::config::GraphOptions>,
    /// Origins allowed to call the API from a browser; none unless a test sets them.
    pub cors_allowed_origins: Vec<String>,
    /// Serve as behind HTTPS (`Secure` cookies, HSTS).
    pub cookie_secure: bool,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where `GET /metrics` listens; not served unless a test sets it.
    pub metrics_bind: Option<String>,
    /// Sign in with Microsoft's app registration (client ID and secret); off unless set.
    pub microsoft: Option<(String, String)>,
    /// Where the application finds Duo (extra hosts, root certificate, timeout); Duo's own
    /// hosts only when `None`.
    pub duo: Option<msp_api::config::DuoOptions>,
    /// The public domain of customer tenants' host names (SPEC §15); path addresses unless set.
    pub public_domain: Option<String>,
    /// The housekeeping job's interval and the job lease; an hour and a minute unless set.
    pub jobs: msp_api::config::JobOptions,
}

/// A database that exists for one test only.
enum TestDatabase {
    Sqlite {
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDatabase {
    fn url(&self) -> &str {
        match self {
            Self::Sqlite { url } | Self::Postgres { url, .. } => url,
        }
    }

    async fn drop_database(&self) -> Result<(), String> {
        let Self::Postgres {
            admin_url, name, ..
        } = self
        else {
            return Ok(()); // the file goes with the temporary directory
        };
        let admin = connect_admin(admin_url).await?;
        let dropped = admin
            .execute_unprepared(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
            .await
            .map(drop)
            .map_err(|error| format!("cannot drop the test database {name}: {error}"));
        let _closed = admin.close().await;
        dropped
    }
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

fn skip_postgres_when_unreachable() -> bool {
    std::env::var("MSP_SKIP_POSTGRES").is_ok_and(|value| value == "1")
}

async fn connect_admin(admin_url: &str) -> Result<DatabaseConnection, String> {
    let mut options = ConnectOptions::new(admin_url.to_owned());
    options
        .max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    let admin = Database::connect(options)
        .await
        .map_err(|error| error.to_string())?;
    admin
        .execute_unprepared("SELECT 1")
        .await
        .map_err(|error| error.to_string())?;
    Ok(admin)
}

/// The URL of database `name` on the server of `admin_url`, keeping user, host and options.
pub fn url_of_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let authority_start = base.find("://").map_or(0, |at| at + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// Set once PostgreSQL turned out unreachable, so later tests need not wait for a timeout again.
static POSTGRES_UNREACHABLE: OnceLock<String> = OnceLock::new();

/// Creates `msp_test_<uuid>` on the PostgreSQL server, or says why the server cannot be used.
async fn create_postgres_database() -> Result<TestDatabase, String> {
    if let Some(reason) = POSTGRES_UNREACHABLE.get() {
        return Err(reason.clone());
    }
    let admin_url = postgres_admin_url();
    let admin = connect_admin(&admin_url).await.map_err(|error| {
        let reason = format!(
            "PostgreSQL at {admin_url} is unreachable ({error}). Start it, point TEST_POSTGRES_URL \
             at a server with trust authentication, or set MSP_SKIP_POSTGRES=1 to skip the \
             PostgreSQL half of the database tests."
        );
        POSTGRES_UNREACHABLE.get_or_init(|| reason).clone()
    })?;
    let name = format!("msp_test_{}", Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .unwrap_or_else(|error| panic!("cannot create the test database {name}: {error}"));
    let _closed = admin.close().await;
    let url = url_of_database(&admin_url, &name);
    Ok(TestDatabase::Postgres {
        admin_url,
        name,
        url,
    })
}

/// Runs `test` against a freshly booted application on `backend`, then drops the test's
/// database, whether the test passed or panicked.
pub async fn run_db_test<F, Fut>(backend: Backend, test_name: &str, options: AppOptions, test: F)
where
    F: FnOnce(TestApp) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_with_database(backend, test_name, move |url, data_dir| async move {
        let app = spawn_app(&url, data_dir, options).await;
        test(app).await;
    })
    .await;
}

/// Runs `test` with the URL of a database on `backend` that exists for this test only and a
/// fresh data directory, then drops the database, whether the test passed or panicked.
pub async fn run_with_database<F, Fut>(backend: Backend, test_name: &str, test: F)
where
    F: FnOnce(String, TempDir) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let data_dir = tempfile::tempdir().expect("cannot create a temporary data directory");
    let database = match backend {
        Backend::Sqlite => TestDatabase::Sqlite {
            url: format!(
                "sqlite://{}?mode=rwc",
                data_dir.path().join("test.db").display()
            ),
        },
        Backend::Postgres => match create_postgres_database().await {
            Ok(database) => database,
            Err(_) if skip_postgres_when_unreachable() => {
                // Straight to stderr: the test harness captures `eprintln!` of passing tests.
                let line = format!("SKIPPED (PostgreSQL unreachable): {test_name}\n");
                let _written = std::io::stderr().write_all(line.as_bytes());
                return;
            }
            Err(reason) => panic!("{reason}"),
        },
    };
    let url = database.url().to_owned();
    // A spawned task turns a panic into a JoinError, so the database is dropped either way.
    let outcome = tokio::spawn(test(url, data_dir)).await;
    let dropped = database.drop_database().await;
    match outcome {
        Ok(()) => {
            if let Err(error) = dropped {
                panic!("{error}");
            }
        }
        Err(error) => {
            if let Err(drop_error) = dropped {
                eprintln!("{drop_error}");
            }
            match error.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(error) => panic!("the test task did not finish: {error}"),
            }
        }
    }
}

/// The running application and what tests need to talk to it.
pub struct TestApp {
    pub address: String,
    /// `http://127.0.0.1:<port>` of `GET /metrics`, when the test asked for it.
    pub metrics_address: Option<String>,
    /// A second connection to the application's database, for set-up and inspection.
    pub db: DatabaseConnection,
    /// A client without a cookie store: only what a test sends explicitly authenticates.
    pub client: reqwest::Client,
    _data_dir: TempDir,
}

impl TestApp {
    /// The application's data directory (the demo writes its fake Graph's URL there).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }
}

/// Boots the real application on `127.0.0.1:0` against `database_url`, with an empty web app
/// directory, and connects a second time to its database.
async fn spawn_app(database_url: &str, data_dir: TempDir, options: AppOptions) -> TestApp {
    let web_dir = data_dir.path().join("web");
    std::fs::create_dir_all(&web_dir).expect("cannot create the empty web directory");
    let settings = Settings {
        bind: "127.0.0.1:0".to_owned(),
        database_url: Some(database_url.to_owned()),
        data_dir: data_dir.path().to_path_buf(),
        jwt_secret: Some(Secret::new(TEST_JWT_SECRET)),
        mfa_key: Some(Secret::new(TEST_MFA_KEY)),
        access_token_ttl_secs: 900,
        web_dir,
        cookie_secure: options.cookie_secure,
        demo: options.demo,
        cors_allowed_origins: options.cors_allowed_origins,
        trusted_proxies: options.trusted_proxies,
        metrics_bind: options.metrics_bind,
        shutdown_timeout_secs: 5,
        sqlite_readers: msp_api::db::SQLITE_READERS,
        jobs: options.jobs.clone(),
        duo: options.duo.clone().unwrap_or_default(),
        public_domain: options.public_domain.as_deref().map(|domain| {
            domain::PublicDomain::parse(domain).expect("a test's public domain parses")
        }),
        graph: options.graph.unwrap_or_else(|| {
            msp_api::config::GraphOptions::public_cloud().expect("the public cloud URLs parse")
        }),
        microsoft_client_id: options.microsoft.as_ref().map(|(id, _)| id.clone()),
        microsoft_client_secret: options
            .microsoft
            .as_ref()
            .map(|(_, secret)| Secret::new(secret.clone())),
    };
    let application = Application::build(&settings)
        .await
        .expect("the application failed to build");
    let address = format!("http://127.0.0.1:{}", application.port());
    let metrics_address = application
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    tokio::spawn(application.run_until_stopped());
    let mut connect = ConnectOptions::new(database_url.to_owned());
    connect.sqlx_logging(false);
    let db = Database::connect(connect)
        .await
        .expect("the test cannot connect to the application's database");
    TestApp {
        address,
        metrics_address,
        db,
        // Redirects are answers to check (Sign in with Microsoft), not to follow.
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("cannot build the test client"),
        _data_dir: data_dir,
    }
}

/// A user the test created, with the password `PASSWORD`.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A client that keeps cookies, as a browser does.
    pub fn cookie_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("cannot build a client with a cookie store")
    }

    /// A browser (a client with a cookie store) signed in as `email`.
    pub async fn browser_signed_in(&self, email: &str) -> reqwest::Client {
        let browser = self.cookie_client();
        let login = browser
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("the sign-in request failed");
        assert_eq!(login.status(), StatusCode::OK);
        browser
    }

    pub async fn seed_demo(&self) {
        let key = MfaKey::parse(&Secret::new(TEST_MFA_KEY)).expect("the test MFA key parses");
        msp_api::demo::seed(&self.db, &key)
            .await
            .expect("seeding the demo data failed");
    }

    pub async fn create_tenant(
        &self,
        name: &str,
        tenant_type: TenantType,
        parent_id: Option<Uuid>,
        monthly_billing: bool,
    ) -> entity::tenant::Model {
        tenancy::create_tenant(
            &self.db,
            NewTenant {
                name: TenantName::parse(name).expect("a valid tenant name"),
                tenant_type,
                parent_id,
                monthly_billing,
                licensing_options: LicensingOption::ALL.to_vec(),
                azure_tenant_id: None,
            },
        )
        .await
        .unwrap_or_else(|error| panic!("cannot create tenant {name:?}: {error}"))
    }

    pub async fn create_user(
        &self,
        tenant_id: Uuid,
        email: &str,
        role: Role,
        claims: ClaimSet,
    ) -> Account {
        let user = users::create_user(
            &self.db,
            NewUser {
                tenant_id,
                email: Email::parse(email).expect("a valid e-mail address"),
                password: NewPassword::parse(PASSWORD).expect("a valid password"),
                role,
                claims,
            },
        )
        .await
        .unwrap_or_else(|error| panic!("cannot create user {email}: {error}"));
        Account {
            id: user.id,
            tenant_id: user.tenant_id,
            email: user.email,
        }
    }

    /// A stand-alone reseller named `name` with an admin holding every claim.
    pub async fn reseller_with_admin(&self, name: &str) -> (entity::tenant::Model, Account) {
        let tenant = self
            .create_tenant(name, TenantType::Reseller, None, true)
            .await;
        let admin = self.admin_of(&tenant).await;
        (tenant, admin)
    }

    /// An admin holding every claim for `tenant`, `admin@<tenant name as a slug>.test`.
    pub async fn admin_of(&self, tenant: &entity::tenant::Model) -> Account {
        let slug = tenant.name.to_lowercase().replace(' ', "-");
        self.create_user(
            tenant.id,
            &format!("admin@{slug}.test"),
            Role::Admin,
            ClaimSet::all(),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("the login request failed")
    }

    /// Signs in and returns the access token.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "signing in as {email}");
        let body: Value = response.json().await.expect("a JSON token response");
        body["access_token"]
            .as_str()
            .expect("an access_token")
            .to_owned()
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("the request failed")
    }

    /// GET with a bearer token; returns the status and the JSON body.
    pub async fn get_json(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.get(path, token).await;
        let status = response.status();
        (status, response.json().await.expect("a JSON body"))
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("the request failed")
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("the request failed")
    }

    /// `GET /api/v1/me` as the bearer of `token`, expecting 200.
    pub async fn me(&self, token: &str) -> Value {
        let (status, body) = self.get_json("/api/v1/me", token).await;
        assert_eq!(status, StatusCode::OK, "GET /api/v1/me: {body}");
        body
    }
}

/// A "browser" for a fake outside service: trusts its certificate and follows no redirect, so a
/// test walks a sign-in round trip one hop at a time.
pub fn browser_trusting(certificate_pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(certificate_pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The answer's `Content-Type`, or an empty string.
pub fn content_type_of(response: &Response) -> String {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asserts an RFC 9457 problem response with `status` and `code`, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    let actual_status = response.status();
    let content_type = content_type_of(&response);
    let text = response.text().await.expect("a readable body");
    assert_eq!(actual_status, status, "status of a problem; body: {text}");
    assert!(
        content_type.starts_with(proto::PROBLEM_CONTENT_TYPE),
        "expected {}, got {content_type:?}; body: {text}",
        proto::PROBLEM_CONTENT_TYPE
    );
    let body: Value = serde_json::from_str(&text).expect("a JSON problem body");
    assert_eq!(body["code"], code, "problem code; body: {body}");
    assert_eq!(
        body["status"],
        status.as_u16(),
        "problem status; body: {body}"
    );
    body
}

/// The field names of a validation problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every page of a listing's `items`, fetched with `per_page=100`.
pub async fn all_items(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for page in 1.. {
        let separator = if path.contains('?') { '&' } else { '?' };
        let (status, body) = app
            .get_json(&format!("{path}{separator}page={page}&per_page=100"), token)
            .await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        let page_items = body["items"].as_array().cloned().unwrap_or_default();
        let done = page_items.len() < 100;
        items.extend(page_items);
        if done {
            break;
        }
    }
    items
}

#[test]
fn a_test_database_url_keeps_the_server_user_and_options_of_the_admin_url() {
    let cases = [
        (
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgres://postgres@127.0.0.1:5432/msp_test_x",
        ),
        (
            "postgres://u:p@db:5433/admin?sslmode=disable",
            "postgres://u:p@db:5433/msp_test_x?sslmode=disable",
        ),
        ("postgres://localhost", "postgres://localhost/msp_test_x"),
    ];
    for (admin_url, expected) in cases {
        assert_eq!(url_of_database(admin_url, "msp_test_x"), expected);
    }
}

/// The fields a 422 `validation_failed` answer names, asserting that it is one.
pub async fn invalid_fields(response: Response) -> Vec<String> {
    let problem = assert_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    error_fields(&problem)
}

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// Every (method, path) of the OpenAPI document the code generates.
pub fn documented_operations() -> Vec<(String, String)> {
    let document: Value =
        serde_json::from_str(&msp_api::openapi::document_json().unwrap()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in HTTP_METHODS {
            if item.get(*method).is_some() {
                operations.push(((*method).to_owned(), path.clone()));
            }
        }
    }
    operations
}

/// The server binary, with no `APP_*` or `DATABASE_URL` from the test runner's environment, so
/// that a test runs the configuration it sets.
pub fn server_binary() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_msp-onboarding"));
    for (name, _) in std::env::vars() {
        if name.starts_with("APP_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command
}
