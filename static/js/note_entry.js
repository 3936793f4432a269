// Note entry, phone first: nothing typed is lost.
//
// * While the visitor types, the draft (stop, producer, product, text, interest, requested
//   follow-ups, visibility) is kept in localStorage and its photos in IndexedDB, under a
//   client token generated once per draft.
// * "Send" moves the draft to an outbox (kept in localStorage too) and clears the form for
//   the next note; the outbox is sent with fetch(). The server stores a token once, so
//   sending again after an unclear answer never makes a duplicate.
// * Offline (navigator.onLine false or fetch failing): the outbox waits and is sent on the
//   "online" event, when the page is shown again, on page load and every 30 seconds.
// * Session expired (a redirect to the login page, or a 403 that a fresh CSRF token does
//   not cure): the outbox waits, a login link returns here (?next=) and the page load
//   after logging in sends it.
// Drafts and the outbox are per user, so a shared phone never sends one user's notes
// under another's name.
(function () {
  "use strict";

  var form = document.getElementById("note-form");
  if (!form) return;

  var text = document.getElementById("note-messages").dataset;
  var statusBox = document.getElementById("note-status");
  var netState = document.getElementById("net-state");
  var draftState = document.getElementById("draft-state");
  var sendError = document.getElementById("send-error");
  var outboxBox = document.getElementById("outbox");
  var outboxList = document.getElementById("outbox-list");
  var sentList = document.getElementById("sent-list");
  var previews = document.getElementById("photo-previews");
  var producerField = document.getElementById("producer-field");
  var producerSelect = form.elements.producer;
  var productSelect = form.elements.product;
  var productHelp = document.getElementById("product-help");
  var textArea = form.elements.text;
  var tokenInput = form.elements.client_token;
  var interestClear = document.getElementById("interest-clear");
  var photoInputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  var productsByProducer = JSON.parse(document.getElementById("note-products").textContent);

  var DRAFT_KEY = form.dataset.draftKey;
  var OUTBOX_KEY = form.dataset.outboxKey;
  var MAX_SIDE = 2560; // photos are shrunk to this many pixels on the long side
  var RETRY_MS = 30000;

  var state = { token: null, photos: [], photosKept: true };
  // Photos of queued notes when IndexedDB is unavailable (lost on reload; the user is told).
  var memoryPhotos = {};

  // --- Small helpers ----------------------------------------------------------------------

  function readJSON(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function newToken() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function show(message, kind, link) {
    statusBox.hidden = false;
    statusBox.className = "note-status " + (kind || "info");
    statusBox.textContent = message;
    statusBox.dataset.kind = kind || "info";
    if (link) {
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(el("a", { href: link.href, class: "btn btn-small", "data-testid": link.testid, text: link.label }));
    }
  }

  function checked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function checkedAll(name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
  }

  function setChecked(name, values) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (input) {
      input.checked = values.indexOf(input.value) >= 0;
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.elements.csrfmiddlewaretoken.value;
  }

  // --- Photos in IndexedDB (kept as bytes: older Safari cannot store File objects) --------

  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve) {
        try {
          var request = window.indexedDB.open("etalase-notes", 1);
          request.onupgradeneeded = function () { request.result.createObjectStore("photos"); };
          request.onsuccess = function () { resolve(request.result); };
          request.onerror = request.onblocked = function () { resolve(null); };
        } catch (e) {
          resolve(null);
        }
      });
    }
    return dbPromise;
  }

  function photoStore(mode, action) {
    return openDb().then(function (db) {
      if (!db) throw new Error("IndexedDB unavailable");
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("photos", mode);
        var request = action(tx.objectStore("photos"));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function fileBytes(file) {
    if (file.arrayBuffer) return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  function keepPhotos(token, files) {
    if (!files.length) return photoStore("readwrite", function (s) { return s.delete(token); });
    return Promise.all(files.map(function (file) {
      return fileBytes(file).then(function (data) { return { name: file.name, type: file.type, data: data }; });
    })).then(function (records) {
      return photoStore("readwrite", function (s) { return s.put(records, token); });
    });
  }

  function keptPhotos(token) {
    if (memoryPhotos[token]) return Promise.resolve(memoryPhotos[token]);
    return photoStore("readonly", function (s) { return s.get(token); }).then(function (records) {
      return (records || []).map(function (r) { return new File([r.data], r.name, { type: r.type }); });
    }).catch(function () { return []; });
  }

  function forgetPhotos(token) {
    delete memoryPhotos[token];
    return photoStore("readwrite", function (s) { return s.delete(token); }).catch(function () {});
  }

  // A phone photo is often 4–12 MB; over a weak connection a 2560-pixel JPEG is enough for
  // a note. Re-encoding also drops the EXIF position on the phone already (the server
  // strips it anyway). Anything that fails is sent as it is.
  function shrink(file) {
    if (!/^image\/(jpeg|webp)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return window.createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 3 * 1024 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); }).then(function (blob) {
        if (!blob || blob.size >= file.size) return file;
        return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
      });
    }).catch(function () { return file; });
  }

  function renderPreviews() {
    previews.textContent = "";
    state.photos.forEach(function (file, index) {
      var url = URL.createObjectURL(file);
      var img = el("img", { src: url, alt: file.name });
      img.onload = function () { URL.revokeObjectURL(url); };
      var remove = el("button", { type: "button", class: "remove", title: text.remove, "aria-label": text.remove, text: "×" });
      remove.addEventListener("click", function () {
        state.photos.splice(index, 1);
        renderPreviews();
        storeDraftPhotos().then(saveDraft);
      });
      previews.appendChild(el("figure", {}, [img, remove]));
    });
  }

  function storeDraftPhotos() {
    return keepPhotos(state.token, state.photos).then(function () {
      state.photosKept = true;
    }, function () {
      if (state.photos.length && state.photosKept) show(text.photosNotKept, "warn");
      state.photosKept = false;
    });
  }

  function addPhotos(input) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    var rejected = files.filter(function (f) { return f.type && !/^image\//.test(f.type); });
    if (rejected.length) show(text.notImage + " " + rejected.map(function (f) { return f.name; }).join(", "), "error");
    var images = files.filter(function (f) { return rejected.indexOf(f) < 0; });
    return Promise.all(images.map(shrink)).then(function (shrunk) {
      state.photos = state.photos.concat(shrunk);
      renderPreviews();
      return storeDraftPhotos();
    }).then(saveDraft);
  }

  // --- Producer and product choices ------------------------------------------------------

  function producerCode() {
    var stop = form.querySelector("input[name=stop]:checked");
    if (stop && stop.value) return stop.dataset.producer;
    return producerSelect.value;
  }

  // With an itinerary, the producer list only matters for "another producer".
  function showProducerField() {
    var other = document.getElementById("stop-other");
    if (other) producerField.hidden = !other.checked;
  }

  function setProducts(list, selected) {
    productSelect.textContent = "";
    productSelect.appendChild(el("option", { value: "", text: text.noProduct }));
    list.forEach(function (item) {
      productSelect.appendChild(el("option", { value: item[0], text: item[0] + " · " + item[1] }));
    });
    productSelect.value = list.some(function (item) { return item[0] === selected; }) ? selected : "";
    productSelect.disabled = list.length === 0;
  }

  function refreshProducts(selected) {
    var code = producerCode();
    productHelp.hidden = true;
    if (!code) {
      setProducts([], "");
      return Promise.resolve();
    }
    if (productsByProducer[code]) {
      setProducts(productsByProducer[code], selected);
      return Promise.resolve();
    }
    var url = form.dataset.productsUrl + "?producer=" + encodeURIComponent(code);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, redirect: "manual" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        productsByProducer[code] = data.products;
        if (producerCode() === code) setProducts(data.products, selected);
      })
      .catch(function () {
        setProducts([], "");
        productHelp.textContent = text.productsOffline;
        productHelp.hidden = false;
      });
  }

  // --- The draft ---------------------------------------------------------------------------

  function collect() {
    var producer = producerCode();
    var option = producerSelect.querySelector("option[value='" + (producer || "").replace(/'/g, "") + "']");
    return {
      token: state.token,
      stop: checked("stop"),
      producer: producer || "",
      product: productSelect.value,
      text: textArea.value,
      interest: checked("interest"),
      requested: checkedAll("requested"),
      visibility: checked("visibility") || "shared",
      photoCount: state.photos.length,
      label: ((option && option.textContent.split(" · ")[0]) || producer || "") + ": " + excerpt(textArea.value, 60),
      savedAt: Date.now(),
    };
  }

  function excerpt(value, length) {
    value = value.trim();
    return value.length > length ? value.slice(0, length - 1) + "…" : value;
  }

  function isBlank(draft) {
    return !draft.text.trim() && !draft.photoCount && !draft.interest && !draft.requested.length;
  }

  function saveDraft() {
    var draft = collect();
    if (isBlank(draft)) {
      writeJSON(DRAFT_KEY, null);
      draftState.textContent = "";
      return;
    }
    if (writeJSON(DRAFT_KEY, draft)) {
      var time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      draftState.textContent = "✓ " + text.draftSaved + " · " + time;
    }
  }

  function applyDraft(draft) {
    state.token = draft.token || newToken();
    tokenInput.value = state.token;
    if (form.querySelector("input[name=stop]")) {
      setChecked("stop", draft.stop ? [draft.stop] : draft.producer ? [""] : []);
      if (draft.stop && !checked("stop")) setChecked("stop", [""]); // the stop was removed
    }
    if (!draft.stop) producerSelect.value = draft.producer || "";
    textArea.value = draft.text || "";
    setChecked("interest", draft.interest ? [draft.interest] : []);
    setChecked("requested", draft.requested || []);
    setChecked("visibility", [draft.visibility || "shared"]);
    showProducerField();
    updateInterestClear();
    return refreshProducts(draft.product || "");
  }

  function clearForNextNote() {
    // The stop stays chosen: the next note is often about another product at the same place.
    var keep = { stop: checked("stop"), producer: producerSelect.value, visibility: "shared" };
    state.photos = [];
    renderPreviews();
    applyDraft({ token: newToken(), stop: keep.stop, producer: keep.producer, visibility: keep.visibility });
    writeJSON(DRAFT_KEY, null);
    draftState.textContent = "";
  }

  function updateInterestClear() {
    if (interestClear) interestClear.hidden = !checked("interest");
  }

  // --- The outbox ----------------------------------------------------------------------------

  function outbox() {
    return readJSON(OUTBOX_KEY, []);
  }

  function saveOutbox(entries) {
    writeJSON(OUTBOX_KEY, entries.length ? entries : null);
    renderOutbox();
  }

  function updateEntry(token, change) {
    saveOutbox(outbox().map(function (entry) {
      return entry.token === token ? Object.assign(entry, change) : entry;
    }));
  }

  function removeEntry(token) {
    saveOutbox(outbox().filter(function (entry) { return entry.token !== token; }));
  }

  function photoCount(n) {
    if (!n) return "";
    return " · " + (n === 1 ? text.photoOne : n + " " + text.photos);
  }

  function renderOutbox() {
    var entries = outbox();
    outboxBox.hidden = entries.length === 0;
    outboxList.textContent = "";
    entries.forEach(function (entry) {
      var item = el("li", { "data-testid": "outbox-item" }, [
        el("span", { class: "label", text: entry.label }),
        el("span", { class: "small muted", text: " · " + (entry.error ? "" : text.waiting) + photoCount(entry.fields.photoCount) }),
      ]);
      if (entry.error) {
        item.appendChild(el("div", { class: "errorlist", text: text.refused + " " + entry.error }));
        var edit = el("button", { type: "button", class: "btn btn-secondary btn-small", text: text.edit });
        edit.addEventListener("click", function () { reopen(entry); });
        var discard = el("button", { type: "button", class: "btn btn-danger btn-small", text: text.discard });
        discard.addEventListener("click", function () {
          if (window.confirm(text.discardConfirm)) {
            removeEntry(entry.token);
            forgetPhotos(entry.token);
          }
        });
        item.appendChild(el("div", { class: "outbox-actions" }, [edit, discard]));
      }
      outboxList.appendChild(item);
    });
  }

  function reopen(entry) {
    if (!isBlank(collect()) && !window.confirm(text.replaceConfirm)) return;
    removeEntry(entry.token);
    keptPhotos(entry.token).then(function (files) {
      state.photos = files;
      renderPreviews();
      return applyDraft(entry.fields);
    }).then(saveDraft);
    textArea.focus();
  }

  function entryBody(entry, photos) {
    var fields = entry.fields;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("client_token", entry.token);
    if (fields.stop) body.append("stop", fields.stop);
    body.append("producer", fields.stop ? "" : fields.producer);
    body.append("product", fields.product || "");
    body.append("text", fields.text);
    body.append("interest", fields.interest || "");
    (fields.requested || []).forEach(function (kind) { body.append("requested", kind); });
    body.append("visibility", fields.visibility || "shared");
    photos.forEach(function (file) { body.append("photos", file, file.name); });
    return body;
  }

  // After logging in again Django gives a new CSRF token: take it from a fresh copy of the
  // page (which also says whether we are logged in at all).
  function refreshCsrf() {
    return fetch(window.location.href, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (!response.ok) return false;
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var input = doc.querySelector("#note-form input[name=csrfmiddlewaretoken]");
          if (!input) return false;
          form.elements.csrfmiddlewaretoken.value = input.value;
          return true;
        });
      })
      .catch(function () { return false; });
  }

  function send(entry, retried) {
    return keptPhotos(entry.token).then(function (photos) {
      var headers = { Accept: "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" };
      return fetch(entry.url, {
        method: "POST",
        body: entryBody(entry, photos),
        headers: headers,
        credentials: "same-origin",
        redirect: "manual",
      }).then(function (response) {
        return answer(entry, response, retried, photos.length);
      }, function () {
        return { kind: "offline" };
      });
    });
  }

  function answer(entry, response, retried, photoCount) {
    // A redirect can only be the login page: the session has expired.
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400) || response.status === 401) {
      return { kind: "login" };
    }
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") >= 0;
    return (isJson ? response.json() : Promise.resolve(null)).catch(function () { return null; }).then(function (data) {
      if ((response.status === 200 || response.status === 201) && data && data.id) {
        return { kind: "saved", data: data, lostPhotos: photoCount < (entry.fields.photoCount || 0) };
      }
      if (response.status === 403 && !data) {
        // CSRF refused: the token changed (a new login) or its cookie is gone.
        if (retried) return { kind: "login" };
        return refreshCsrf().then(function (ok) { return ok ? send(entry, true) : { kind: "login" }; });
      }
      if (data && data.errors) {
        var messages = [];
        Object.keys(data.errors).forEach(function (field) {
          data.errors[field].forEach(function (e) { messages.push(e.message); });
        });
        return { kind: "refused", message: messages.join(" ") };
      }
      if (data && data.error) return { kind: "refused", message: data.error };
      return { kind: "retry" };
    });
  }

  function addSent(entry, result) {
    var link = el("a", { href: result.data.url, text: text.view });
    var item = el("li", { "data-testid": "sent-item" }, [
      el("span", { text: "✓ " + (result.data.label || entry.label) + " " }),
      link,
    ]);
    sentList.insertBefore(item, sentList.firstChild);
    // "No notes yet." below would now contradict the list of sent notes above.
    var empty = document.querySelector(".my-notes > p.muted");
    if (empty) { empty.hidden = true; }
  }

  var flushing = null;

  function flush() {
    if (!flushing) {
      flushing = sendAll().then(function () { flushing = null; }, function () { flushing = null; });
    }
    return flushing;
  }

  function sendAll() {
    var pending = outbox().filter(function (entry) { return !entry.error; });
    if (!pending.length) return Promise.resolve();
    if (navigator.onLine === false) {
      show(text.offline, "warn");
      return Promise.resolve();
    }
    show(text.sending, "info");
    return pending.reduce(function (chain, entry) {
      return chain.then(function (stop) {
        if (stop) return true;
        return send(entry, false).then(function (result) { return handle(entry, result); });
      });
    }, Promise.resolve(false));
  }

  // Returns true when the rest of the outbox should wait (offline, logged out, server error).
  function handle(entry, result) {
    if (result.kind === "saved") {
      removeEntry(entry.token);
      forgetPhotos(entry.token);
      addSent(entry, result);
      if (result.lostPhotos) show(text.photosLost, "warn");
      else show(result.data.created ? text.sent : text.already, "ok");
      return false;
    }
    if (result.kind === "refused") {
      updateEntry(entry.token, { error: result.message });
      show(text.refused + " " + result.message, "error");
      return false;
    }
    if (result.kind === "login") {
      show(text.login, "error", { href: form.dataset.loginUrl, label: text.loginLink, testid: "login-again" });
    } else if (result.kind === "offline") {
      show(text.offline, "warn");
    } else {
      show(text.server, "warn");
    }
    return true;
  }

  // --- Events -------------------------------------------------------------------------------

  function validate(draft) {
    if (!draft.text.trim()) return { message: text.needText, focus: textArea };
    if (!draft.producer) {
      var firstStop = form.querySelector("input[name=stop]");
      return { message: text.needProducer, focus: firstStop ? firstStop.closest("fieldset") : producerSelect };
    }
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var draft = collect();
    var problem = validate(draft);
    if (problem) {
      // Said next to the button, where the visitor is looking, and where to fix it.
      sendError.textContent = problem.message;
      sendError.hidden = false;
      if (problem.focus && !problem.focus.closest("[hidden]")) {
        problem.focus.scrollIntoView({ block: "center" });
        if (problem.focus.focus) problem.focus.focus({ preventScroll: true });
      }
      return;
    }
    sendError.hidden = true;
    var entry = { token: draft.token, url: form.action, fields: draft, label: draft.label, queuedAt: Date.now() };
    if (!state.photosKept) memoryPhotos[entry.token] = state.photos.slice();
    var entries = outbox().filter(function (e) { return e.token !== entry.token; });
    entries.push(entry);
    saveOutbox(entries);
    clearForNextNote();
    window.scrollTo(0, 0);
    flush();
  });

  form.addEventListener("input", function () {
    sendError.hidden = true;
    saveDraft();
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "file") {
      addPhotos(target);
      return;
    }
    if (target.name === "stop") {
      showProducerField();
      refreshProducts("");
    } else if (target.name === "producer") {
      refreshProducts("");
    } else if (target.name === "interest") {
      updateInterestClear();
    }
    saveDraft();
  });

  if (interestClear) {
    interestClear.addEventListener("click", function () {
      setChecked("interest", []);
      updateInterestClear();
      saveDraft();
    });
  }

  document.getElementById("outbox-send").addEventListener("click", flush);

  function updateNet() {
    var online = navigator.onLine !== false;
    netState.hidden = false;
    netState.textContent = online ? text.online : text.offlineShort;
    netState.className = "net-state " + (online ? "online" : "offline");
  }

  window.addEventListener("online", function () { updateNet(); flush(); });
  window.addEventListener("offline", function () { updateNet(); show(text.offline, "warn"); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  window.setInterval(function () { if (outbox().some(function (e) { return !e.error; })) flush(); }, RETRY_MS);

  // --- Start ----------------------------------------------------------------------------------

  // Without JavaScript both file inputs post; with it, photos are collected in state.photos.
  photoInputs.forEach(function (input) { input.classList.add("visually-hidden"); });
  updateNet();
  renderOutbox();
  var draft = readJSON(DRAFT_KEY, null);
  if (draft && !isBlank(draft)) {
    applyDraft(draft);
    show(text.draftRestored, "info");
    keptPhotos(draft.token).then(function (files) {
      state.photos = files;
      renderPreviews();
    });
  } else {
    state.token = tokenInput.value || newToken();
    tokenInput.value = state.token;
    showProducerField();
    updateInterestClear();
    refreshProducts(productSelect.value);
  }
  flush();
})();
