/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Error summary (GOV.UK pattern): take the focus so screen readers announce it, and make
  // its links focus the field itself rather than just scroll to it.
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
    // On the document, so that a summary rebuilt after a background upload works the same.
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#']");
      if (!link) {
        return;
      }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var group = input.closest(".field, .component") || input;
      group.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // "Đổi hình khác": a fresh captcha without reloading the form (and losing what was typed).
  function captchaRefresh() {
    document.querySelectorAll("[data-captcha]").forEach(function (box) {
      var button = box.querySelector("[data-captcha-refresh]");
      var image = box.querySelector("[data-captcha-image]");
      var hidden = box.querySelectorAll("input[type='hidden']");
      var key = hidden[0];
      var questionKey = hidden[1];
      var question = box.querySelector("[data-captcha-question-text]");
      var answer = box.querySelector("input[type='text']");
      if (!button || !image || !key || !window.fetch) {
        return;
      }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(button.getAttribute("data-captcha-refresh"), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(function (data) {
            image.src = data.image_url;
            key.value = data.key;
            if (questionKey && question && data.question) {
              questionKey.value = data.question_key;
              question.textContent = data.question;
            }
            if (answer) {
              answer.value = "";
              answer.focus();
            }
          })
          .catch(function () { /* keep the current image; submitting still works */ });
      });
    });
  }

  // The search filters are folded away on a phone; a wide screen has room to show them.
  function openWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 48rem)").matches) {
      return;
    }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  // Hình thức nhận kết quả: the commune list follows the province without reloading the
  // page; without script the "Cập nhật danh sách xã, phường" button does it.
  function communeList() {
    var form = document.querySelector("form[data-communes]");
    if (!form || !window.fetch) {
      return;
    }
    var province = form.querySelector("select[name='province']");
    var commune = form.querySelector("select[name='commune']");
    var refresh = form.querySelector("[data-communes-refresh]");
    if (!province || !commune) {
      return;
    }
    if (refresh) {
      refresh.hidden = true;
    }
    function fill(units) {
      var first = document.createElement("option");
      first.value = "";
      first.textContent = form.getAttribute("data-communes-empty");
      commune.replaceChildren(first);
      units.forEach(function (unit) {
        var option = document.createElement("option");
        option.value = unit.code;
        option.textContent = unit.name;
        commune.appendChild(option);
      });
    }
    province.addEventListener("change", function () {
      if (!province.value) {
        fill([]);
        return;
      }
      var url = form.getAttribute("data-communes").replace("__", encodeURIComponent(province.value));
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (data) { fill(data.communes); })
        .catch(function () {
          if (refresh) {
            refresh.hidden = false;
          }
        });
    });
  }

  // "Nộp hồ sơ": a second click while the first is on its way does nothing (the server
  // makes one dossier anyway); coming back with the browser's Back button enables it again.
  function submitOnce() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      var button = form.querySelector(
        "button[type='submit']:not(.default-button):not([data-captcha-refresh])"
      );
      var label = button ? button.textContent : "";
      form.addEventListener("submit", function (event) {
        if (form.hasAttribute("data-sent")) {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-sent", "");
        if (button) {
          button.setAttribute("aria-disabled", "true");
          button.textContent = form.getAttribute("data-submitting") || label;
          window.setTimeout(function () { button.disabled = true; }, 0);
        }
      });
      window.addEventListener("pageshow", function (event) {
        if (event.persisted && button) {
          form.removeAttribute("data-sent");
          button.disabled = false;
          button.removeAttribute("aria-disabled");
          button.textContent = label;
        }
      });
    });
  }

  // "Sao chép mã số" on the confirmation page.
  function copyButtons() {
    if (!navigator.clipboard) {
      return;
    }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var status = button.parentElement.querySelector("[data-copy-status]");
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          if (status) {
            status.textContent = button.getAttribute("data-copied");
          }
        });
      });
    });
  }

  // Nothing typed is lost when the session has expired: a wizard form keeps what it sends in
  // this tab's sessionStorage; if the server answers with the login page instead, the same
  // form shows it again once the citizen is back. Kept only on the way through the login
  // page, and cleared as soon as any other page loads, so a shared computer keeps nothing.
  var TYPED = "motcua.typed:";

  function fieldsOf(form) {
    var kept = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || /^(csrfmiddlewaretoken|captcha_0|captcha_1)$/.test(el.name)) {
        return;
      }
      if (/^(file|password|hidden|submit|button)$/.test(el.type)) {
        return;
      }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        if (el.type === "checkbox" && !(el.name in kept)) {
          kept[el.name] = [];
        }
        return;
      }
      (kept[el.name] = kept[el.name] || []).push(el.value);
    });
    return kept;
  }

  function restore(form, kept) {
    var changed = false;
    Object.keys(kept).forEach(function (name) {
      var values = kept[name];
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          var on = values.indexOf(el.value) !== -1;
          if (el.checked !== on) {
            el.checked = on;
            changed = true;
            el.dispatchEvent(new Event("change", { bubbles: true }));
          }
        } else if (el.tagName === "SELECT") {
          var has = Array.prototype.some.call(el.options, function (o) { return o.value === values[0]; });
          if (has && el.value !== values[0]) {
            el.value = values[0];
            changed = true;
            el.dispatchEvent(new Event("change", { bubbles: true }));
          }
        } else if (values.length && el.value !== values[0]) {
          el.value = values[0];
          changed = true;
        }
      });
    });
    return changed;
  }

  function keepTyped() {
    if (!window.sessionStorage) {
      return;
    }
    var onLogin = !!document.querySelector("[data-login-form]");
    var here = {};
    document.querySelectorAll("form[data-keep-typed]").forEach(function (form) {
      var key = TYPED + new URL(form.action, location.href).pathname;
      here[key] = true;
      var stored = sessionStorage.getItem(key);
      sessionStorage.removeItem(key);
      if (stored) {
        try {
          if (restore(form, JSON.parse(stored))) {
            var notice = document.querySelector("[data-typed-restored]");
            if (notice) {
              notice.hidden = false;
            }
          }
        } catch (e) { /* a damaged entry is simply dropped */ }
      }
      form.addEventListener("submit", function () {
        try {
          sessionStorage.setItem(key, JSON.stringify(fieldsOf(form)));
        } catch (e) { /* storage full or refused: the post itself still goes */ }
      });
    });
    if (!onLogin) {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key.indexOf(TYPED) === 0 && !here[key]) {
          sessionStorage.removeItem(key);
        }
      });
    }
  }

  // "Đăng xuất" forgets anything a wizard form kept.
  function forgetOnLogout() {
    document.querySelectorAll("form[data-forget-typed]").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (!window.sessionStorage) {
          return;
        }
        Object.keys(sessionStorage).forEach(function (key) {
          if (key.indexOf(TYPED) === 0) {
            sessionStorage.removeItem(key);
          }
        });
      });
    });
  }

  errorSummary();
  keepTyped();
  forgetOnLogout();
  captchaRefresh();
  openWide();
  communeList();
  submitOnce();
  copyButtons();
})();
