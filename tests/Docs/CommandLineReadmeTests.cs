using System.Text.RegularExpressions;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Docs;

/// <summary>
/// The README's command table names every command `ssis --help` lists, each with every option its own `--help` lists.
/// The commands and options come from the built ssis itself.
/// </summary>
public class CommandLineReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

    [Fact]
    public void Every_command_and_option_is_in_the_readme_command_table()
    {
        using var folder = new TempFolder();
        var missing = new List<string>();
        var commands = LeafCommands(folder, []).ToList();
        Assert.Contains("bench probe", commands.Select(c => string.Join(' ', c))); // nested commands are found
        foreach (var command in commands)
        {
            var name = "ssis " + string.Join(' ', command);
            var row = Readme.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{name} ", StringComparison.Ordinal) || l.StartsWith($"| `{name}`", StringComparison.Ordinal));
            if (row is null)
            {
                missing.Add($"{name}: no row");
                continue;
            }
            var usage = row.Split("` |")[0];
            missing.AddRange(Options(folder, command).Where(option => !Regex.IsMatch(usage, $@"{Regex.Escape(option)}\b")).Select(option => $"{name}: {option}"));
        }
        Assert.True(missing.Count == 0, "not in the README's command table: " + string.Join("; ", missing));
    }

    /// <summary>The commands below <paramref name="path"/> that take no subcommand, found through each one's --help.</summary>
    private static IEnumerable<List<string>> LeafCommands(TempFolder folder, List<string> path)
    {
        var subcommands = Section(Help(folder, path), "Commands:").Select(line => line.Split(' ')[0]).ToList();
        if (subcommands.Count == 0 && path.Count > 0) yield return path;
        foreach (var sub in subcommands)
        foreach (var leaf in LeafCommands(folder, [.. path, sub]))
            yield return leaf;
    }

    /// <summary>The long options a command's --help lists, its --help aside.</summary>
    private static IEnumerable<string> Options(TempFolder folder, List<string> command) =>
        Section(Help(folder, command), "Options:")
            .SelectMany(line => Regex.Matches(line.Split("  ")[0], @"--[a-z0-9-]+").Select(m => m.Value))
            .Where(option => option is not ("--help" or "--version"));

    private static string Help(TempFolder folder, List<string> command)
    {
        var (exit, output, errors) = SsisProcess.Run(folder.Path, [.. command, "--help"]);
        Assert.True(exit == 0, errors);
        return output;
    }

    /// <summary>The indented lines under a heading of a --help page.</summary>
    private static IEnumerable<string> Section(string help, string heading) =>
        help.Split('\n').SkipWhile(l => l.Trim() != heading).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim());
}
