// Live progress of one mailing: polls the page's progress handler every second until nothing is left to send.
(function () {
    const section = document.getElementById('mailing');
    if (!section) return;
    const id = section.dataset.mailingId;
    const set = (elementId, value) => { const el = document.getElementById(elementId); if (el) el.textContent = value; };
    async function poll() {
        try {
            const response = await fetch('/mailings/' + encodeURIComponent(id) + '?handler=Progress', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
            if (response.ok) {
                const p = await response.json();
                const bar = document.getElementById('mailing-progress');
                bar.value = p.percent;
                bar.textContent = p.percent + ' %';
                set('mailing-percent-value', p.percent);
                set('mailing-done', p.done);
                set('mailing-total', p.total);
                for (const [state, count] of Object.entries(p.counts)) set('count-' + state, count);
                set('mailing-rate', p.ratePerMinute);
                set('mailing-time-left', p.secondsLeft === null ? '—' : p.secondsLeft + ' s');
                if (p.completed) {
                    set('mailing-state', section.dataset.textCompleted);
                    section.dataset.completed = 'true';
                    return;
                }
            }
        } catch (e) { /* the next poll tries again */ }
        setTimeout(poll, 1000);
    }
    if (section.dataset.completed !== 'true') setTimeout(poll, 1000);
})();
