import React from "react";

export function Comment({ comment }) {
  return (
    <article className="comment">
      <header>{comment.author}</header>
      <div dangerouslySetInnerHTML={{ __html: comment.body }} />
    </article>
  );
}
