import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html templates', () => {
  it('escape every interpolated value', () => {
    expect(html`<p>${'<script>alert("x")</script>'}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    expect(html`<a href="${'" onclick="x'}">`.value).toBe('<a href="&quot; onclick=&quot;x">');
    expect(escapeHtml("O'Neil & Co")).toBe('O&#39;Neil &amp; Co');
  });

  it('keep nested templates and raw values as they are, and join arrays', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${raw('<hr>')}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });
});
