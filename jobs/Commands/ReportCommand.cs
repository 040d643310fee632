using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis report OUT</c>: rebuilds report.html from the outputs of the last run written to OUT.</summary>
public static class ReportCommand
{
    public static int Run(string outputFolder, TextWriter output, TextWriter errors)
    {
        if (!File.Exists(Path.Combine(outputFolder, RunSummary.FileName)))
        {
            errors.WriteLine($"error: no {RunSummary.FileName} in {outputFolder}: run a job into it first (ssis run CONFIG).");
            return (int)ExitCode.BadConfig;
        }
        output.WriteLine(Path.GetFullPath(HtmlReport.Write(outputFolder)));
        return 0;
    }
}
