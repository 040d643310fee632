using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Docs;

/// <summary>The README documents every output column with its type, and starts with the two commands.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    private static readonly TableSchema[] Tables = Engine.Pipeline.StaleOutputs.Tables;

    public static TheoryData<string, string, string, string> Columns()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var table in Tables)
            foreach (var c in table.Columns)
                data.Add(table.Name, c.Name, c.TypeName, c.Description);
        return data;
    }

    /// <summary>Each table's section of the README lists its columns in the written order, with the written type and description.</summary>
    [Theory]
    [MemberData(nameof(Columns))]
    public void Every_column_is_documented_with_its_type_and_meaning_under_its_table(string table, string name, string type, string description)
    {
        var section = TableSection(table);
        Assert.Contains($"| `{name}` | `{type}` | {description} |", section);
    }

    [Fact]
    public void Each_table_section_lists_exactly_the_written_columns_in_order()
    {
        foreach (var table in Tables)
        {
            var documented = TableSection(table.Name).Split('\n').Where(l => l.StartsWith("| `")).Select(l => l.Split('`')[1]);
            Assert.Equal(table.Columns.Select(c => c.Name), documented);
        }
    }

    /// <summary>The column table under a table's "### `name.parquet`" heading: its rows, up to the first line that is not one.</summary>
    private static string TableSection(string table)
    {
        var heading = $"### `{table}.parquet`";
        var start = Readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section {heading}");
        var header = Readme.IndexOf("| column | type | unit / meaning |", start, StringComparison.Ordinal);
        var rows = Readme[header..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|'));
        return string.Join('\n', rows) + '\n';
    }

    /// <summary>The README's exit-code table lists exactly the codes <c>ssis</c> returns, with their numbers.</summary>
    [Fact]
    public void The_exit_code_table_matches_the_code()
    {
        var section = Readme[Readme.IndexOf("### Exit codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var documented = Regex.Matches(section, @"^\| (\d+) \| `(\w+)` \|", RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value)).ToList();
        var code = Enum.GetValues<ExitCode>().Select(c => ((int)c, c.ToString())).ToList();
        Assert.Equal(code, documented);
    }

    /// <summary>README "How a run flows" lists exactly the run's steps, in order, with their scope and description.</summary>
    [Fact]
    public void The_step_table_matches_the_step_list()
    {
        var section = Readme[Readme.IndexOf("### How a run flows", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var documented = section.Split('\n').Where(l => l.StartsWith("| `")).ToList();
        var code = RunSteps.InOrder.Select(s =>
            $"| `{s.Name}` | {(s.Scope == StepScope.PerFile ? "per file" : "library")} | {s.Description} |").ToList();
        Assert.Equal(code, documented);
    }

    [Fact]
    public void The_first_lines_give_demo_and_test()
    {
        var head = string.Join('\n', Readme.Split('\n').Take(6));
        Assert.Contains("./run.sh demo", head);
        Assert.Contains("./run.sh test", head);
    }
}
