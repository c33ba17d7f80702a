// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Filter forms marked data-autosubmit submit when a select changes.
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    for (const select of form.querySelectorAll('select')) {
      select.addEventListener('change', () => form.requestSubmit());
    }
  }
  // Move focus to an error summary so screen-reader users hear what went wrong.
  const summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
  // Buttons marked data-confirm ask before submitting their form.
  for (const button of document.querySelectorAll('[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});
