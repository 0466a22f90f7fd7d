import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatJunit } from '../../../src/report/junit.ts';
import { sampleReport, TRICKY_MESSAGE } from './sample-report.ts';

describe('formatJunit', () => {
  it('writes a suite per session plus one for files outside sessions (warnings fail, as with --strict)', () => {
    expect(formatJunit(sampleReport(), { failOn: 'warning' })).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="idse" tests="6" failures="3">',
        '  <testsuite name="alpha/s1" tests="3" failures="2">',
        '    <testcase classname="alpha/s1" name="projects/alpha/sessions/s1/intents/intent.md">',
        '      <failure type="IDSE020" message="Secret &quot;api_key&quot; at 100%, rotate: now&#10;then &lt;&amp;&gt; purge">error IDSE020/secret-in-doc at projects/alpha/sessions/s1/intents/intent.md:3:1',
        'Secret "api_key" at 100%, rotate: now',
        'then &lt;&amp;&gt; purge</failure>',
        '    </testcase>',
        '    <testcase classname="alpha/s1" name="projects/alpha/sessions/s1/specs/spec.md">',
        '      <failure type="IDSE012" message="REQ-3 is not cited by any task">warning IDSE012/requirement-without-task at projects/alpha/sessions/s1/specs/spec.md:12:5',
        'REQ-3 is not cited by any task',
        'related projects/alpha/sessions/s1/tasks/tasks.md:4:1: tasks are listed here</failure>',
        '      <failure type="IDSE012" message="REQ-3 is not cited by any task">warning IDSE012/requirement-without-task at projects/alpha/sessions/s1/specs/spec.md:30:5',
        'REQ-3 is not cited by any task</failure>',
        '    </testcase>',
        '    <testcase classname="alpha/s1" name="projects/alpha/sessions/s1/tasks/tasks.md"/>',
        '  </testsuite>',
        '  <testsuite name="beta/s2" tests="2" failures="1">',
        '    <testcase classname="beta/s2" name="projects/beta/sessions/s2/intents/intent.md">',
        '      <failure type="IDSE003" message="Missing section &quot;Goals&quot;">warning IDSE003/required-section at projects/beta/sessions/s2/intents/intent.md',
        'Missing section "Goals"</failure>',
        '    </testcase>',
        '    <testcase classname="beta/s2" name="projects/beta/sessions/s2/contexts/context.md"/>',
        '  </testsuite>',
        '  <testsuite name="outside sessions" tests="1" failures="0">',
        '    <testcase classname="outside sessions" name="README.md">',
        '      <system-out>info IDSE099/readme-hint at README.md:1:1',
        'Consider linking the constitution</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('is well-formed XML whose attributes give back the original message', () => {
    const xml = formatJunit(sampleReport());
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      htmlEntities: true,
    }).parse(xml);
    const [alpha] = parsed.testsuites.testsuite;
    expect(alpha.testcase[0].failure.message).toBe(TRICKY_MESSAGE);
  });

  it('strips characters XML 1.0 cannot carry, so the document stays well-formed', () => {
    const report = sampleReport();
    report.diagnostics = [
      { ...report.diagnostics[3]!, message: 'a\u0000b\u0008c\uFFFEd\uD800e\u{1F600}f\tg' },
    ];
    const xml = formatJunit(report, { failOn: 'warning' });
    expect(xml).toContain('message="abcde\u{1F600}f&#9;g"');
    expect(xml).toContain('\nabcde\u{1F600}f\tg</failure>');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('files a finding in a session folder but not among its docs under that session', () => {
    const report = sampleReport();
    report.diagnostics = [
      {
        ...report.diagnostics[3]!,
        file: 'projects/beta/sessions/s2/notes.md',
        project: undefined,
        session: undefined,
      },
    ];
    const xml = formatJunit(report, { failOn: 'warning' });
    expect(xml).toContain(
      '  <testsuite name="beta/s2" tests="3" failures="1">\n    <testcase classname="beta/s2" name="projects/beta/sessions/s2/intents/intent.md"/>',
    );
    expect(xml).toContain('<testcase classname="beta/s2" name="projects/beta/sessions/s2/notes.md">');
    expect(xml).not.toContain('outside sessions');
    expect(xml).toContain('<testsuites name="idse" tests="6" failures="1">');
  });

  it('agrees with the exit code: only errors fail unless the run fails on warnings', () => {
    const xml = formatJunit(sampleReport());
    // One error (exit 1): one failure; the warnings are output, as the infos are.
    expect(xml).toContain('<testsuites name="idse" tests="6" failures="1">');
    expect(xml).toContain('<failure type="IDSE020"');
    expect(xml).not.toContain('<failure type="IDSE012"');
    expect(xml).toContain('<system-out>warning IDSE012/requirement-without-task');
    const warningsOnly = {
      ...sampleReport(),
      diagnostics: sampleReport().diagnostics.filter((d) => d.severity !== 'error'),
    };
    expect(formatJunit(warningsOnly)).toContain('failures="0"');
    expect(formatJunit(warningsOnly, { failOn: 'warning' })).toContain(
      '<testsuites name="idse" tests="6" failures="2">',
    );
    expect(formatJunit(sampleReport(), { failOn: 'never' })).not.toContain('<failure');
  });

  it('passes every file of a clean workspace', () => {
    const xml = formatJunit({ ...sampleReport(), diagnostics: [] });
    expect(xml).toContain('<testsuites name="idse" tests="5" failures="0">');
    expect(xml).not.toContain('<failure');
  });
});
