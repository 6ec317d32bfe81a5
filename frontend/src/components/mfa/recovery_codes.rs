//! The 10 recovery codes, shown this once: the server keeps only their hashes.

use leptos::prelude::*;

use crate::components::copy::CopyButton;

#[component]
pub fn RecoveryCodesShownOnce(
    codes: Vec<String>,
    /// The words of the button that closes the list, e.g. "Continue to the app".
    done_label: &'static str,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let all = codes.join("\n");
    view! {
        <section class="card notice" aria-labelledby="recovery-codes-title">
            <h2 id="recovery-codes-title" tabindex="-1">"Save your recovery codes"</h2>
            <p>"Each code signs you in once instead of the app, e.g. when your phone is lost. Keep them somewhere safe, such as a password manager: they are shown only now."</p>
            <ol class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
            <div class="actions">
                <CopyButton text=all label="Copy the codes"/>
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| on_done.run(())>{done_label}</button>
            </div>
        </section>
    }
}
