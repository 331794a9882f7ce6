/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Error summary (GOV.UK pattern): take the focus so screen readers announce it, and make
  // its links focus the field itself rather than just scroll to it.
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var group = input.closest(".field") || input;
      group.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // "Đổi hình khác": a fresh captcha without reloading the form (and losing what was typed).
  function captchaRefresh() {
    document.querySelectorAll("[data-captcha]").forEach(function (box) {
      var button = box.querySelector("[data-captcha-refresh]");
      var image = box.querySelector("[data-captcha-image]");
      var key = box.querySelector("input[type='hidden']");
      var answer = box.querySelector("input[type='text']");
      if (!button || !image || !key || !window.fetch) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        fetch(button.getAttribute("data-captcha-refresh"), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(function (data) {
            image.src = data.image_url;
            key.value = data.key;
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
      var button = form.querySelector("button[type='submit']");
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

  errorSummary();
  captchaRefresh();
  openWide();
  communeList();
  submitOnce();
  copyButtons();
})();
