/* "Thành phần hồ sơ" and "Bổ sung hồ sơ": background uploads with a progress bar.
   Progressive enhancement only: without this file the page's "Tải lên" buttons post the
   form, and the server does the same checks either way. */
(function () {
  "use strict";

  // "Thành phần hồ sơ": each chosen file goes up at once, with a progress bar, to the same
  // address the form posts to; the server answers with the component's block re-rendered.
  // Anything unexpected (a network error, a login page after a timeout) shows the plain
  // "Tải lên" button again, which posts the form the ordinary way.
  function backgroundUploads() {
    if (!window.FormData || !window.XMLHttpRequest) {
      return;
    }
    document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
      form.querySelectorAll("[data-upload-button]").forEach(function (button) {
        button.hidden = true;
      });
      form.addEventListener("change", function (event) {
        if (event.target.matches("input[type='file']")) {
          chosen(form, event.target);
        }
      });
      // A file picked while this script was still loading on a slow link.
      form.querySelectorAll("input[type='file']").forEach(function (input) {
        chosen(form, input);
      });
    });
  }

  function chosen(form, input) {
    if (!input.files.length) {
      return;
    }
    // Refused here at once, rather than after sending megabytes over a slow link.
    var limit = Number(input.getAttribute("data-max-size")) || Infinity;
    var big = Array.from(input.files).filter(function (file) { return file.size > limit; });
    if (big.length) {
      showError(form, input.closest("[data-component]"),
        "«" + big[0].name + "» " + input.getAttribute("data-too-large") + ".");
      input.value = "";
      return;
    }
    sendFiles(form, input.closest("[data-component]"), input.name, Array.from(input.files));
  }

  function sendFiles(form, block, name, files) {
    var token = form.querySelector("input[name='csrfmiddlewaretoken']").value;
    var componentId = block.getAttribute("data-component");
    var url = form.getAttribute("action") + "?component=" + encodeURIComponent(componentId);
    var announce = form.querySelector("[data-upload-announce]");

    function current() {
      return form.querySelector("[data-component='" + componentId + "']");
    }

    function status(nodes) {
      var box = current().querySelector("[data-upload-status]");
      box.replaceChildren.apply(box, nodes);
    }

    function fail(message) {
      showError(form, current(), message || form.getAttribute("data-upload-failed"));
      current().querySelectorAll("[data-upload-button]").forEach(function (button) {
        button.hidden = false;
      });
    }

    function send(i) {
      if (i >= files.length) {
        return;
      }
      var file = files[i];
      var bar = document.createElement("progress");
      var label = document.createElement("span");
      bar.max = 100;
      bar.value = 0;
      label.textContent = form.getAttribute("data-uploading") + " " + file.name;
      status([label, bar]);
      current().querySelector("input[type='file']").disabled = true;

      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append(name, file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          bar.value = Math.round((event.loaded * 100) / event.total);
          label.textContent = form.getAttribute("data-uploading") + " " + file.name + ": " + bar.value + "%";
        }
      };
      xhr.onerror = function () { fail(); };
      xhr.onload = function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (error) {
          answer = null;
        }
        if (!answer) {
          fail();
          return;
        }
        Object.keys(answer.blocks || {}).forEach(function (id) {
          var old = form.querySelector("[data-component='" + id + "']");
          var holder = document.createElement("div");
          holder.innerHTML = answer.blocks[id];
          var fresh = holder.firstElementChild;
          if (old && fresh) {
            fresh.querySelectorAll("[data-upload-button]").forEach(function (button) {
              button.hidden = true;
            });
            old.replaceWith(fresh);
          }
        });
        if (!answer.blocks) {
          fail((answer.errors || [])[0]);
          current().querySelector("input[type='file']").disabled = false;
          return;
        }
        summarise(form);
        if (announce) {
          announce.textContent = answer.ok
            ? form.getAttribute("data-uploaded") + ": " + file.name
            : (answer.errors || []).join(" ");
        }
        send(i + 1);
      };
      xhr.send(data);
    }

    send(0);
  }

  // A component's error: one sentence, in the place the server writes it, replacing the one
  // before (never a second line under the first), and listed in the summary at the top.
  function showError(form, block, message) {
    var input = block.querySelector("input[type='file']");
    var line = block.querySelector("[data-component-error]");
    if (!line) {
      line = document.createElement("p");
      line.className = "error-message";
      line.id = input.id + "_error";
      line.setAttribute("data-component-error", "");
      block.querySelector(".component__rules").after(line);
    }
    var prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = form.getAttribute("data-error-prefix") + " ";
    line.replaceChildren(prefix, document.createTextNode(message));
    block.classList.add("field--error");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(line.id) < 0) {
      input.setAttribute("aria-describedby", [line.id].concat(described).join(" ").trim());
    }
    block.querySelector("[data-upload-status]").replaceChildren();
    summarise(form);
    var announce = form.querySelector("[data-upload-announce]");
    if (announce) {
      announce.textContent = message;
    }
  }

  // The summary at the top of the page lists what the components say now: rebuilt after
  // every background upload, so it neither keeps a fixed error nor misses a new one.
  function summarise(form) {
    var holder = document.querySelector("[data-upload-summary]");
    if (!holder) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "error-summary__list";
    form.querySelectorAll("[data-component]").forEach(function (block) {
      var input = block.querySelector("input[type='file']");
      block.querySelectorAll("[data-component-error]").forEach(function (line) {
        var copy = line.cloneNode(true);
        copy.querySelectorAll(".visually-hidden").forEach(function (hidden) { hidden.remove(); });
        var link = document.createElement("a");
        link.href = "#" + input.id;
        link.textContent = copy.textContent.trim();
        var item = document.createElement("li");
        item.appendChild(link);
        list.appendChild(item);
      });
    });
    if (!list.children.length) {
      holder.replaceChildren();
      return;
    }
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.tabIndex = -1;
    summary.setAttribute("aria-labelledby", "error-summary-title");
    var title = document.createElement("h2");
    title.className = "error-summary__title";
    title.id = "error-summary-title";
    title.textContent = holder.getAttribute("data-title");
    summary.append(title, list);
    holder.replaceChildren(summary);
  }

  backgroundUploads();
})();
