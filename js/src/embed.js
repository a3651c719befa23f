// Renders ipywidgets embedded in a static page (worldnb.widgets.to_html) with no
// kernel and no network: a small widget manager that knows @jupyter-widgets/base,
// @jupyter-widgets/controls (ipywidgets 8) and jupyter-threejs (pythreejs 2.4.2),
// all inlined in the same page. Built by `npm run build` (see package.json).
import * as base from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import * as controls from '@jupyter-widgets/controls';
import { Widget } from '@lumino/widgets';

const modules = { '@jupyter-widgets/base': base, '@jupyter-widgets/controls': controls };

function addStyle(css) {
  const s = document.createElement('style');
  s.textContent = css;
  document.head.appendChild(s);
}

class EmbedManager extends ManagerBase {
  loadClass(className, moduleName, moduleVersion) {
    const mod = modules[moduleName];
    if (mod === undefined) {
      return Promise.reject(new Error(`worldnb embed: module ${moduleName}@${moduleVersion} is not bundled`));
    }
    if (mod[className] === undefined) {
      return Promise.reject(new Error(`worldnb embed: class ${className} not found in ${moduleName}`));
    }
    return Promise.resolve(mod[className]);
  }
  _get_comm_info() { return Promise.resolve({}); }
  _create_comm() {
    return Promise.resolve({ on_close: () => {}, on_msg: () => {}, close: () => {}, send: () => {} });
  }
  async display_view(view, el) {
    const v = await view;
    Widget.attach(v.luminoWidget || v.pWidget, el);
    return v;
  }
}

async function renderWidgets() {
  addStyle(window.__worldnb_embed_css || '');
  const stateTags = document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]');
  for (const tag of Array.from(stateTags)) {
    const manager = new EmbedManager();
    const models = await manager.set_state(JSON.parse(tag.innerHTML));
    const viewTags = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    for (const viewTag of Array.from(viewTags)) {
      const spec = JSON.parse(viewTag.innerHTML);
      const model = models.find((m) => m.model_id === spec.model_id);
      if (model === undefined) continue;
      const el = document.createElement('div');
      el.className = 'widget-subarea';
      viewTag.parentElement.insertBefore(el, viewTag);
      const view = await manager.create_view(model);
      await manager.display_view(view, el);
    }
  }
  document.body.setAttribute('data-worldnb-rendered', 'true');
}

window.__worldnb_embed = { base, modules, renderWidgets };
