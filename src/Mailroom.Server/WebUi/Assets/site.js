// Mailroom web UI: small progressive enhancements. Every form works without this file.
(() => {
  "use strict";

  // The language select switches at once; its button stays for people without JavaScript.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  for (const button of document.querySelectorAll("[data-hide-with-js]")) button.hidden = true;

  // After a post, take keyboard and screen-reader users to what changed: the error summary or the check report.
  (document.getElementById("invalid") ?? document.getElementById("check-report"))?.focus();

  // The password field only makes sense for login-and-password.
  const authentication = document.getElementById("f-authentication");
  const passwordField = document.querySelector("[data-password-field]");
  const syncPassword = () => {
    if (!authentication || !passwordField) return;
    const value = authentication.value;
    // An empty choice inherits; keep the field while the inherited method may be a password.
    const inheritsPassword = value === "" && /Login|hasło|password/i.test(authentication.options[0].text);
    passwordField.hidden = !(value === "Password" || inheritsPassword);
  };
  authentication?.addEventListener("change", syncPassword);
  syncPassword();

  // "Choose a provider" fills in server, port, encryption and authentication.
  const picker = document.querySelector("[data-provider-picker]");
  picker?.addEventListener("change", () => {
    const option = picker.selectedOptions[0];
    if (!option || !option.value) return;
    const set = (id, value) => { const el = document.getElementById(id); if (el && !el.disabled) el.value = value; };
    set("f-host", option.dataset.host);
    set("f-port", option.dataset.port);
    set("f-encryption", option.dataset.encryption);
    set("f-authentication", option.dataset.authentication);
    syncPassword();
    const hint = document.querySelector("[data-provider-hint]");
    if (hint && option.dataset.hint) hint.textContent = option.dataset.hint;
  });

  // A queued message's state, followed until it is final, without reloading the page.
  for (const status of document.querySelectorAll("[data-message-status]")) {
    const reason = status.closest("[role=status], section, div")?.querySelector("[data-message-reason]");
    const poll = async () => {
      try {
        const response = await fetch(status.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (response.ok) {
          const message = await response.json();
          status.textContent = message.statusText;
          status.className = "status-" + message.status;
          status.dataset.status = message.status;
          if (reason) reason.textContent = message.reason ?? "";
          if (message.final) return;
        }
      } catch { /* the server may be restarting: try again */ }
      setTimeout(poll, 1000);
    };
    poll();
  }
})();
