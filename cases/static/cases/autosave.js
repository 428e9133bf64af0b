// Keeps a server-side draft of the concern while it is being written (the form works without this).
(function () {
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var dirty = false, submitting = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { submitting = true; });
  function save() {
    if (!dirty || submitting) { return; }
    dirty = false;
    var data = new FormData(form);
    data.append("autosave", "1");
    fetch(form.getAttribute("data-autosave"), { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(function (r) { if (r.status === 204 && status) { status.textContent = "Draft saved at " + new Date().toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"}); } })
      .catch(function () { dirty = true; });
  }
  setInterval(save, 20000);
})();
