// The API's documentation page: Swagger UI (from django-ninja's static files) with the settings
// the page carries in data-swagger-settings. A file rather than inline script: the CSP allows
// only scripts from this site. "Try it out" sends the session's CSRF token, as forms do.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  var config = JSON.parse(root.dataset.swaggerSettings);
  var csrfToken = root.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (request) {
    if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
    return request;
  };
  window.SwaggerUIBundle(config);
})();
