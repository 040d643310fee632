using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis report OUT</c>: rebuilds report.html from the outputs of the last run written to OUT.</summary>
public static class ReportCommand
{
    public static int Run(string outputFolder, TextWriter output, TextWriter errors)
    {
        if (RunOutputs.Lack(outputFolder, RunSummary.FileName, errors)) return (int)ExitCode.BadConfig;
        output.WriteLine(Path.GetFullPath(HtmlReport.Write(outputFolder)));
        return 0;
    }
}
