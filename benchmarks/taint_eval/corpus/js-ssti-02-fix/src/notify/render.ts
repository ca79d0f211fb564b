import Handlebars from "handlebars";

const TEMPLATES = {
  welcome: Handlebars.compile("Welcome, {{name}}!"),
  reset: Handlebars.compile("Use this link to reset your password: {{link}}"),
};

export function renderNotification(kind: keyof typeof TEMPLATES, data: Record<string, unknown>): string {
  return TEMPLATES[kind](data);
}
