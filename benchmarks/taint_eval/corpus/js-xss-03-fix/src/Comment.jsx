import React from "react";
import DOMPurify from "dompurify";

export function Comment({ comment }) {
  return (
    <article className="comment">
      <header>{comment.author}</header>
      <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(comment.body) }} />
    </article>
  );
}
