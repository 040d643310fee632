using System.Text.RegularExpressions;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Docs;

/// <summary>
/// Every YAML key the config reader accepts is in the README's key table. The keys come from the reader itself: an
/// unknown key in a section is refused with the list of the keys that section takes.
/// </summary>
public class ConfigKeysReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    /// <summary>Each section, as the prefix its keys have in the README, and a job whose section holds the unknown key.</summary>
    public static TheoryData<string, string> Sections => new()
    {
        { "", "catalog: {folder: /m}\noutput: /o\nzz_unknown: 1\n" },
        { "catalog.", "catalog: {folder: /m, zz_unknown: 1}\noutput: /o\n" },
        { "output.", "catalog: {folder: /m}\noutput: {path: /o, zz_unknown: 1}\n" },
        { "probe.", "catalog: {folder: /m}\noutput: /o\nprobe: {zz_unknown: 1}\n" },
        { "group.", "catalog: {folder: /m}\noutput: /o\ngroup: {zz_unknown: 1}\n" },
        { "dedupe.", "catalog: {folder: /m}\noutput: /o\ndedupe: {zz_unknown: 1}\n" },
        { "fingerprint.", "catalog: {folder: /m}\noutput: /o\nfingerprint: {zz_unknown: 1}\n" },
        { "analysis.", "catalog: {folder: /m}\noutput: /o\nanalysis: {zz_unknown: 1}\n" },
        { "speech.", "catalog: {folder: /m}\noutput: /o\nspeech: {zz_unknown: 1}\n" },
        { "retries.", "catalog: {folder: /m}\noutput: /o\nretries: {zz_unknown: 1}\n" },
        { "embed.", "catalog: {folder: /m}\noutput: /o\nembed: {zz_unknown: 1}\n" },
        { "embed.contrastive.", "catalog: {folder: /m}\noutput: /o\nembed: {contrastive: {zz_unknown: 1}}\n" },
        { "embed.onnx[].", "catalog: {folder: /m}\noutput: /o\nembed:\n  onnx: [{name: mine, model: MODEL, zz_unknown: 1}]\n" },
        { "model.", "catalog: {folder: /m}\noutput: /o\nmodel: {zz_unknown: 1}\n" },
        { "recommend.", "catalog: {folder: /m}\noutput: /o\nrecommend: {zz_unknown: 1}\n" },
        { "classify[].", "catalog: {folder: /m}\noutput: /o\nclassify: [{name: mine, model: MODEL, labels: LABELS, zz_unknown: 1}]\n" },
        { "segments.", "catalog: {folder: /m}\noutput: /o\nsegments: {zz_unknown: 1}\n" },
        { "feature_packs.", "catalog: {folder: /m}\noutput: /o\nfeature_packs: {zz_unknown: 1}\n" },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_key_a_section_accepts_is_documented(string prefix, string yaml)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("m.onnx"), "the reader checks the file is there; it is not loaded before the keys are");
        File.WriteAllText(folder.File("labels.txt"), "a\n");
        yaml = yaml.Replace("MODEL", folder.File("m.onnx")).Replace("LABELS", folder.File("labels.txt"));

        var error = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("job.yaml"), yaml)).Message;

        var accepted = Regex.Match(error, "zz_unknown': unknown key; expected one of: (.*)$").Groups[1].Value.TrimEnd('.').Split(", ");
        Assert.True(accepted.Length > 0 && accepted[0].Length > 0, error);
        var undocumented = accepted.Select(key => prefix + key).Where(key => !Documented(key)).ToList();
        Assert.True(undocumented.Count == 0, $"not in the README's key table: {string.Join(", ", undocumented)}");
    }

    /// <summary>
    /// A key with its own row (`a.b`, or a sibling in a row such as `a.b` / `c`), a section whose keys have rows
    /// (`a.b.c`, `a[].c`), or a segmenter parameter (its own table, kept in step by SegmentsReadmeTests).
    /// </summary>
    private static bool Documented(string key)
    {
        if (key.StartsWith("segments.", StringComparison.Ordinal) && Readme.Contains($"| `{key["segments.".Length..]}` |", StringComparison.Ordinal))
            return true;
        return KeyTableKeys.Contains(key) || KeyTableKeys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal) || k.StartsWith(key + "[].", StringComparison.Ordinal));
    }

    /// <summary>The keys the README's key table names: a row's first cell, `a.b` / `c` naming a.b and a.c.</summary>
    private static readonly HashSet<string> KeyTableKeys = ReadKeyTable();

    private static HashSet<string> ReadKeyTable()
    {
        var start = Readme.IndexOf("| key | type | default | meaning |", StringComparison.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Readme[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var names = Regex.Matches(row.Split(" | ")[0], "`([^`]+)`").Select(m => m.Groups[1].Value).ToList();
            var first = names[0];
            var parent = first.Contains('.') ? first[..(first.LastIndexOf('.') + 1)] : "";
            keys.Add(first);
            foreach (var sibling in names.Skip(1)) keys.Add(parent + sibling);
        }
        return keys;
    }
}
