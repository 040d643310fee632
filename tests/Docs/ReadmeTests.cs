using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Docs;

/// <summary>The README documents every output column with its type, and starts with the two commands.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    public static TheoryData<string, string> Columns()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in TracksTable.Columns.Concat(GroupsTable.Columns).Concat(FingerprintsTable.Columns).Concat(DuplicatesTable.Columns)
                     .Concat(AnalysisTable.Columns).Concat(MelTable.Columns)
                     .Concat(EmbeddingsTable.Columns).Concat(EmbeddingsTable.StatsColumns)
                     .Concat(PredictionsTable.Columns).Concat(PredictionsTable.RecommendationColumns).DistinctBy(c => (c.Name, c.Type)))
            data.Add(c.Name, c.Type.Sql());
        return data;
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void Every_parquet_column_is_documented_with_its_type(string name, string sqlType)
    {
        Assert.Contains($"| `{name}` | {sqlType} |", Readme);
    }

    /// <summary>Every YAML key the config reader accepts appears in the README's key table.</summary>
    [Theory]
    [InlineData("embed.contrastive.temperature")]
    [InlineData("embed.contrastive.checkpoint")]
    [InlineData("embed.onnx[].pooling")]
    [InlineData("model.regressor")]
    [InlineData("model.min_rated")]
    [InlineData("model.joint_max_epochs")]
    [InlineData("model.encoder_learning_rate")]
    [InlineData("model.trees")]
    [InlineData("model.leaves")]
    [InlineData("model.min_examples_per_leaf")]
    [InlineData("model.tree_learning_rate")]
    [InlineData("recommend.per_artist")]
    [InlineData("recommend.xspf")]
    [InlineData("dedupe.prefer")]
    public void New_config_keys_are_documented(string key) => Assert.Contains($"| `{key}` |", Readme);

    [Fact]
    public void The_first_lines_give_demo_and_test()
    {
        var head = string.Join('\n', Readme.Split('\n').Take(6));
        Assert.Contains("./run.sh demo", head);
        Assert.Contains("./run.sh test", head);
    }
}
