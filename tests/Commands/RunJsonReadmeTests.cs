using System.Text.Json;
using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

/// <summary>The README's run.json example has the keys a real run writes, at every level, so it cannot go stale.</summary>
[Collection(TwoAlbumDemoCollection.Name)]
public class RunJsonReadmeTests(TwoAlbumDemo demo)
{
    /// <summary>Objects keyed by what the run met (error codes, stages, library versions), not by the schema.</summary>
    private static readonly HashSet<string> DataKeyed = ["errors_by_code", "skipped_by_code", "stage_seconds", "versions"];

    [Fact]
    public void The_readme_run_json_example_has_the_keys_of_a_real_run()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var example = Regex.Match(readme, @"### `run\.json` — what the run did\n[^#]*?```json\n(.+?)\n```", RegexOptions.Singleline);
        Assert.True(example.Success, "README.md has no run.json example under its heading");
        using var documented = JsonDocument.Parse(example.Groups[1].Value);
        using var real = JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.Output, RunSummary.FileName)));

        var documentedKeys = KeysByPath(documented.RootElement);
        var realKeys = KeysByPath(real.RootElement);

        // Every object both have (one side's null has no keys to compare) has the same keys on both.
        foreach (var path in documentedKeys.Keys.Intersect(realKeys.Keys).Where(p => !DataKeyed.Contains(p.Split('.')[^1].TrimEnd('[', ']'))))
            Assert.True(documentedKeys[path].SetEquals(realKeys[path]),
                $"{(path.Length == 0 ? "the top level" : path)}: README has {string.Join(", ", documentedKeys[path].Order())}; a run writes {string.Join(", ", realKeys[path].Order())}");
        Assert.Contains("", documentedKeys.Keys);
    }

    /// <summary>The keys of every object in the document by its path ("" the root, "a.b", "list[]" for every element of a list).</summary>
    private static Dictionary<string, HashSet<string>> KeysByPath(JsonElement root)
    {
        var keys = new Dictionary<string, HashSet<string>>();
        void Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var set = keys.TryGetValue(path, out var known) ? known : keys[path] = [];
                    foreach (var p in e.EnumerateObject())
                    {
                        set.Add(p.Name);
                        Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}");
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) Walk(item, path + "[]");
                    break;
            }
        }
        Walk(root, "");
        return keys;
    }
}
