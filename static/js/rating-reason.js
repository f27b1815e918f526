// The reason for the rating is required for Amber and Red: mark its label as soon as one is
// chosen. Without JavaScript the page says so in the field's hint, and submitting without a
// reason shows the error message at the field.
const label = document.querySelector('label[for="id_rag_reason"]');
const choices = document.querySelectorAll('input[name="rag"]');
if (label && choices.length) {
  const base = label.textContent.replace(/ \((optional|required)\)$/, "");
  const mark = () => {
    const chosen = document.querySelector('input[name="rag"]:checked');
    const needed = chosen && (chosen.value === "amber" || chosen.value === "red");
    label.textContent = `${base} (${needed ? "required" : "optional"})`;
    document.getElementById("id_rag_reason")?.setAttribute("aria-required", needed ? "true" : "false");
  };
  choices.forEach((choice) => choice.addEventListener("change", mark));
  mark();
}
