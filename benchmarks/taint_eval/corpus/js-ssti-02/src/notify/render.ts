import Handlebars from "handlebars";

export function renderNotification(templateSource: string, data: Record<string, unknown>): string {
  const template = Handlebars.compile(templateSource);
  return template(data);
}
