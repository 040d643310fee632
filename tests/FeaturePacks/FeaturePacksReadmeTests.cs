using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.FeaturePacks;

/// <summary>The README's feature-pack section lists the written columns with their types and meanings, and the config keys.</summary>
public class FeaturePacksReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    [Fact]
    public void The_column_table_equals_the_schema()
    {
        var heading = $"### `{FeaturePackLayout.FolderName}/<track_id>.parquet`";
        var start = Readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section {heading}");
        var header = Readme.IndexOf("| column | type | unit / meaning |", start, StringComparison.Ordinal);
        var rows = Readme[header..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(FeaturePackLayout.Schema.Columns.Select(c => $"| `{c.Name}` | `{c.TypeName}` | {c.Description} |"), rows);
    }

    [Theory]
    [InlineData("feature_packs.enabled")]
    [InlineData("feature_packs.row_group_s")]
    public void Config_keys_are_documented(string key) => Assert.Contains($"| `{key}` |", Readme);
}
