//! The signed-in person's own account: signing in and out (with a second factor), accepting an
//! invitation, the password and the authenticator app.

use gloo_net::http::Request;
use proto::{
    AcceptInvitationRequest, ChangePasswordRequest, ConfirmTotpRequest, LoginAnswer, LoginRequest,
    Me, RecoveryCodes, SignInProviders, TokenResponse, TotpEnrolment, TotpLoginRequest,
};

use super::{ApiFailure, call, read, send};

pub async fn login(email: String, password: String) -> Result<LoginAnswer, ApiFailure> {
    read(call(Request::post("/api/v1/auth/login").json(&LoginRequest { email, password })).await)
}

/// The second step of a sign-in: `code` is the app's 6 digits or a recovery code.
pub async fn login_totp(mfa_token: String, code: String) -> Result<TokenResponse, ApiFailure> {
    read(
        call(Request::post("/api/v1/auth/login/totp").json(&TotpLoginRequest { mfa_token, code }))
            .await,
    )
}

pub async fn logout() -> Result<(), ApiFailure> {
    send(Request::post("/api/v1/auth/logout").build())
        .await
        .map(drop)
}

/// The ways to sign in besides e-mail and password (the Microsoft button).
pub async fn sign_in_providers() -> Result<SignInProviders, ApiFailure> {
    read(call(Request::get("/api/v1/auth/providers").build()).await)
}

/// Where the "Sign in with Microsoft" button goes: a redirect to Microsoft and back.
pub const MICROSOFT_SIGN_IN: &str = "/api/v1/auth/microsoft";

pub async fn me() -> Result<Me, ApiFailure> {
    read(call(Request::get("/api/v1/me").build()).await)
}

pub async fn accept_invitation(token: String, password: String) -> Result<(), ApiFailure> {
    send(
        Request::post("/api/v1/auth/accept-invitation")
            .json(&AcceptInvitationRequest { token, password }),
    )
    .await
    .map(drop)
}

pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiFailure> {
    send(
        Request::put("/api/v1/me/password").json(&ChangePasswordRequest {
            current_password,
            new_password,
        }),
    )
    .await
    .map(drop)
}

pub async fn start_totp() -> Result<TotpEnrolment, ApiFailure> {
    read(call(Request::post("/api/v1/me/mfa/totp").build()).await)
}

pub async fn confirm_totp(code: String) -> Result<RecoveryCodes, ApiFailure> {
    read(
        call(Request::post("/api/v1/me/mfa/totp/confirm").json(&ConfirmTotpRequest { code })).await,
    )
}

pub async fn regenerate_recovery_codes() -> Result<RecoveryCodes, ApiFailure> {
    read(call(Request::post("/api/v1/me/mfa/recovery-codes").build()).await)
}
