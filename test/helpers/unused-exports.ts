/**
 * Exported names that no other file imports: candidates to make local. Each file is parsed on its own (no type
 * check, so it takes a second or two); an import counts when its relative specifier resolves to the file, a
 * namespace import (`import * as x`) or `export *` counts for every export, and `export … from` for the names
 * it re-exports. Run it over the tree with `npx tsx test/helpers/unused-exports.ts [folder…]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

interface UnusedExport {
  readonly file: string;
  readonly name: string;
}

const sourceFolders = ["lib", "stacks", "tools", "sandbox", "test"];
const sourceFiles = ["main.ts"];

function typeScriptFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : typeScriptFiles(file);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** The names a file exports, by its own declarations and `export { … }` lists. */
function exportedNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause) {
      if (ts.isNamedExports(statement.exportClause))
        names.push(...statement.exportClause.elements.map((element) => element.name.text));
      continue;
    }
    if (!hasExportModifier(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
        else
          for (const element of declaration.name.elements)
            if (ts.isBindingElement(element) && ts.isIdentifier(element.name)) names.push(element.name.text);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.push(statement.name.text);
    }
  }
  return names;
}

function resolve(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.join(path.dirname(fromFile), specifier);
  return [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => existsSync(candidate));
}

/** Every exported name under `folders` that no other file imports (the whole tree is searched for imports). */
export function unusedExports(folders: readonly string[], root = process.cwd()): UnusedExport[] {
  const files = [
    ...sourceFolders.flatMap((folder) => typeScriptFiles(path.join(root, folder))),
    ...sourceFiles.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ];
  const used = new Map<string, Set<string>>();
  const everything = new Set<string>();
  const use = (file: string, name: string) => {
    if (!used.has(file)) used.set(file, new Set());
    used.get(file)!.add(name);
  };
  const parsed = files.map((file) => ({
    file,
    source: ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, false),
  }));
  for (const { file, source } of parsed) {
    for (const statement of source.statements) {
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined;
      const target = specifier === undefined ? undefined : resolve(file, specifier);
      if (target === undefined) continue;
      if (ts.isImportDeclaration(statement)) {
        const bindings = statement.importClause?.namedBindings;
        if (statement.importClause?.name) use(target, "default");
        if (bindings && ts.isNamespaceImport(bindings)) everything.add(target);
        if (bindings && ts.isNamedImports(bindings))
          for (const element of bindings.elements) use(target, (element.propertyName ?? element.name).text);
      } else if (ts.isExportDeclaration(statement)) {
        const clause = statement.exportClause;
        if (!clause || ts.isNamespaceExport(clause)) everything.add(target);
        else for (const element of clause.elements) use(target, (element.propertyName ?? element.name).text);
      }
    }
  }
  const inFolders = (file: string) =>
    folders.some((folder) => !path.relative(path.join(root, folder), file).startsWith(".."));
  return parsed
    .filter(({ file }) => inFolders(file) && !everything.has(file))
    .flatMap(({ file, source }) =>
      exportedNames(source)
        .filter((name) => !used.get(file)?.has(name))
        .map((name) => ({ file: path.relative(root, file), name })),
    );
}

if (require.main === module) {
  const folders = process.argv.slice(2);
  const unused = unusedExports(folders.length > 0 ? folders : sourceFolders);
  for (const { file, name } of unused) process.stdout.write(`${file}: ${name}\n`);
  process.stderr.write(`${unused.length} exported names imported by no other file\n`);
}
