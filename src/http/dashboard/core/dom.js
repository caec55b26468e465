/* The two DOM helpers every screen uses. */
export const $ = (id) => document.getElementById(id)

/** An element with attributes (text: its text, className: its class) and children (strings or nodes). */
export const el = (tag, attrs, children) => {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v
    else if (k === 'className') e.className = v
    else e.setAttribute(k, v)
  }
  for (const c of children || []) if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  return e
}
