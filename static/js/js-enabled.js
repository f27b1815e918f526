// Loaded at the start of <body> (no inline scripts: the Content-Security-Policy allows none).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
