// Keeps a part of the page live without reloading it: every element with data-refresh="/url" has its content replaced
// by what that URL answers, every data-refresh-seconds. A file of its own, since the site's Content-Security-Policy
// allows no inline script.
(() => {
    for (const element of document.querySelectorAll("[data-refresh]")) {
        const interval = 1000 * (Number(element.dataset.refreshSeconds) || 5);
        const refresh = async () => {
            // A tab in the background has nobody to show figures to.
            if (!document.hidden) {
                try {
                    const response = await fetch(element.dataset.refresh, { credentials: "same-origin", cache: "no-store" });

                    // Redirected means signed out meanwhile (a flush of the session store): the sign-in page is not the live part.
                    if (response.ok && !response.redirected) {
                        element.innerHTML = await response.text();
                    }
                } catch {
                    // The app is restarting or the network dropped: the next tick tries again.
                }
            }

            setTimeout(refresh, interval);
        };
        setTimeout(refresh, interval);
    }
})();
