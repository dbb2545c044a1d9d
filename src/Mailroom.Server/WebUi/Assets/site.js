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

  // "E-mail address": the catalog, an MX hint or detection fills in server, port, encryption, authentication and login.
  const lookupEmail = document.querySelector("[data-lookup-email]");
  const lookupButton = document.querySelector("[data-lookup-button]");
  const lookupResult = document.querySelector("[data-lookup-result]");
  const lookup = async () => {
    const email = lookupEmail.value.trim();
    if (!email) return;
    const label = lookupButton.textContent;
    lookupButton.disabled = true;
    lookupButton.textContent = lookupButton.dataset.busy;
    try {
      const response = await fetch(lookupEmail.dataset.url + "?email=" + encodeURIComponent(email),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = await response.json();
      const lines = response.ok ? body.explanation : Object.values(body.errors ?? {}).flat();
      lookupResult.replaceChildren(...lines.map(line => { const p = document.createElement("p"); p.textContent = line; return p; }));
      lookupResult.dataset.source = response.ok ? body.source : "error";
      const settings = response.ok ? body.settings : null;
      if (!settings) return;
      const set = (id, value) => {
        const el = document.getElementById(id);
        if (!el || el.disabled || value === null || value === undefined) return;
        if (el.tagName === "SELECT") {
          const option = [...el.options].find(o => o.value.toLowerCase() === String(value).toLowerCase());
          if (option) el.value = option.value;
        } else {
          el.value = value;
        }
      };
      set("f-host", settings.host);
      set("f-port", settings.port);
      set("f-encryption", settings.encryption);
      set("f-authentication", settings.authentication);
      set("f-login", settings.login);
      set("f-senderMode", settings.senderMode);
      const fromAddress = document.getElementById("f-fromAddress");
      if (fromAddress && !fromAddress.disabled && !fromAddress.value) fromAddress.value = email;
      for (const [id, value] of [["f-rateLimitPerDay", settings.rateLimitPerDay], ["f-rateLimitPerMinute", settings.rateLimitPerMinute]]) {
        const el = document.getElementById(id);
        if (el && !el.value) set(id, value);
      }
      syncPassword();
    } catch {
      lookupResult.textContent = "?";
    } finally {
      lookupButton.disabled = false;
      lookupButton.textContent = label;
    }
  };
  lookupButton?.addEventListener("click", lookup);
  lookupEmail?.addEventListener("keydown", event => { if (event.key === "Enter") { event.preventDefault(); lookup(); } });

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
