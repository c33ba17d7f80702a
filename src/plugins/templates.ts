// The template engine behind reply.page: Eta, with two costs of its per-render path removed.
// Templates and their output are exactly Eta's; test/plugins/templates.test.ts holds both
// changes to that.
//
// 1. Paths. Eta resolves a template's file on every render and every include (a JSON key,
//    path.join and path.relative each time). The views directory is fixed, so each (including
//    file, template name) pair always resolves to the same file: remembered after the first.
//
// 2. Includes. Eta hands an included template a copy of the including template's data plus the
//    include's own ({...it, ...data}): thirty to fifty keys copied, ~2 µs, for every status
//    badge, progress bar and share bar of a fifty-row table, the largest single cost of
//    rendering a list. Most partials read only what they are given ({ s, t } for a status
//    badge). When an included template's code (its tags, not its text) reads `it` only as
//    it.<name>, never assigns to it and includes nothing itself, and the include's data has
//    every <name> it reads as its own key, the copy would give it exactly the values of that
//    data: it is handed the data itself. Any other include (a partial that reads a key it was
//    not given, passes `it` on, enumerates it, or includes further) gets the copy, as before.
import { Eta, type EtaConfig, type Options, type TemplateFunction } from 'eta';

type AstObject = Parameters<Eta['compileBody']>[0][number];

/** A compiled template with the keys of `it` it reads, or null when it needs all of them. */
type Template = TemplateFunction & { reads?: string[] | null };

const IT = /(?<![\w$.])it\b/g;
const NAMED_READ = /^it\s*\.\s*([A-Za-z_$][\w$]*)/;
const ASSIGNMENT = /^\s*(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?!=)|^\s*(?:\+\+|--)/;
const NEEDS_ALL = /\b(?:include|includeAsync|layout|block|blockAsync)\s*\(/;
// delete it.x or ++it.x change the data as much as an assignment does.
const CHANGED_BEFORE = /(?:\bdelete|\+\+|--)\s*$/;

/**
 * The keys of `it` a template's code reads, when it reads `it` only as it.<name> and never
 * assigns to one; null when it may need all of it (it passes `it` on, reads it?.x or it[x],
 * assigns to or deletes a key, includes another template or sets a layout). `code` is the
 * template's code without its text (see codeOf); conservative: the word "it" in a comment in
 * the middle of code counts as a use of `it`.
 */
export function keysRead(code: string): string[] | null {
  if (NEEDS_ALL.test(code)) return null;
  const keys = new Set<string>();
  for (const match of code.matchAll(IT)) {
    const rest = code.slice(match.index);
    const read = NAMED_READ.exec(rest);
    if (!read) return null;
    if (CHANGED_BEFORE.test(code.slice(Math.max(0, match.index - 8), match.index))) return null;
    if (ASSIGNMENT.test(rest.slice(read[0].length))) return null;
    keys.add(read[1]);
  }
  return [...keys];
}

/** A tag that holds nothing but a comment (the description at the top of a partial). */
const COMMENT_ONLY = /^\s*\/\*(?:(?!\*\/)[\s\S])*\*\/\s*$/;

/** The code of a parsed template: its tags' contents without the page text between them or comment-only tags. */
export function codeOf(ast: AstObject[]): string {
  const code: string[] = [];
  for (const part of ast) if (typeof part !== 'string' && !COMMENT_ONLY.test(part.val)) code.push(part.val);
  return code.join('\n;\n');
}

// Eta's generated include copies `it`; the rewrite hands the decision to Views.includeIn
// (includeAsync, which no view uses, keeps Eta's copy). The layout gets the page's data by
// the same path instead of a copy made first.
const INCLUDE = 'this.render(__eta_t, {...it, ...(__eta_d ?? {})}, options)';
const INCLUDE_VIA_VIEWS = 'this.includeIn(it, __eta_t, __eta_d, options)';
const LAYOUT = '(__eta.layout, {...it, body: __eta.res,';
const LAYOUT_VIA_INCLUDE = '(__eta.layout, {body: __eta.res,';

const includeInViews = {
  processFnString(fn: string) {
    return fn.replace(INCLUDE, INCLUDE_VIA_VIEWS).replace(LAYOUT, LAYOUT_VIA_INCLUDE);
  },
};

export class Views extends Eta {
  constructor(config: Partial<EtaConfig>) {
    super({ ...config, plugins: [...(config.plugins ?? []), includeInViews] });

    const resolve = this.resolvePath;
    // Keyed by the including file, then the name as written: no key string to build per call.
    const resolved = new Map<string, Map<string, string>>();
    this.resolvePath = function (template, options) {
      const from = options?.filepath ?? '';
      let names = resolved.get(from);
      if (!names) resolved.set(from, (names = new Map()));
      let file = names.get(template);
      if (file === undefined) {
        file = resolve.call(this, template, options);
        names.set(template, file);
      }
      return file;
    };

    // compileToString hands compileBody the parsed template once per compile: what keysRead
    // looks at is taken from it.
    const compileBody = this.compileBody;
    let code: string | undefined;
    this.compileBody = function (ast) {
      code = codeOf(ast);
      return compileBody.call(this, ast);
    };
    const compile = this.compile;
    this.compile = function (source, options) {
      code = undefined;
      const template: Template = compile.call(this, source, options);
      template.reads = code === undefined ? null : keysRead(code);
      return template;
    };
  }

  /**
   * What `include(name, data)` runs in a template whose data is `parent`: Eta's render of an
   * include (same path resolution, same template cache), handing the included template `data`
   * itself when that gives the same values as the copy (see the top of this file).
   */
  includeIn(parent: object, name: string, data: Record<string, unknown> | undefined, meta: Options): string {
    // No closure for the copy: tsx (esbuild keepNames) wraps every named closure in a
    // defineProperty call each time it is created.
    if (name.startsWith('@')) return this.render(name, { ...parent, ...(data ?? {}) }, meta as { filepath: string });
    const file = this.resolvePath(name, meta);
    const options = this.optionsFor(file);
    let template = this.templatesSync.get(file) as Template | undefined;
    if (!this.config.cache || !template) {
      template = this.compile(this.readFile(file), options) as Template;
      if (this.config.cache) this.templatesSync.define(file, template);
    }
    return template.call(this, this.given(template.reads, data) ? data : { ...parent, ...(data ?? {}) }, options);
  }

  /** True when `data` has, as its own keys, every key the template reads. */
  private given(reads: string[] | null | undefined, data: Record<string, unknown> | undefined): data is Record<string, unknown> {
    if (!reads || data === null || data === undefined) return false;
    for (let i = 0; i < reads.length; i++) if (!Object.prototype.propertyIsEnumerable.call(data, reads[i])) return false;
    return true;
  }

  /**
   * The options Eta hands an included template: {...parent's options, async: false, filepath},
   * which comes to the same two fields for every include of one file. Nothing writes to them.
   */
  private optionsFor(file: string): Options {
    let options = this.includeOptions.get(file);
    if (!options) this.includeOptions.set(file, (options = { async: false, filepath: file }));
    return options;
  }

  private includeOptions = new Map<string, Options>();
}
