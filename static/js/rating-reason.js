// The reason for the rating is required for Amber and Red. As the server draws required fields,
// its label loses "(optional)" as soon as Amber or Red is chosen. Without JavaScript the field's
// hint says so, and submitting without a reason shows the error message at the field.
const label = document.querySelector('label[for="id_rag_reason"]');
const choices = document.querySelectorAll('input[name="rag"]');
if (label && choices.length) {
  const base = label.textContent.replace(/ \(optional\)$/, "");
  const mark = () => {
    const chosen = document.querySelector('input[name="rag"]:checked');
    const needed = Boolean(chosen) && (chosen.value === "amber" || chosen.value === "red");
    label.textContent = needed ? base : `${base} (optional)`;
    document.getElementById("id_rag_reason")?.setAttribute("aria-required", needed ? "true" : "false");
  };
  choices.forEach((choice) => choice.addEventListener("change", mark));
  mark();
}
