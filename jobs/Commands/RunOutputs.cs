namespace SSIS.Batch.Jobs.Commands;

/// <summary>What the commands that read a run's outputs check first: that the run wrote the file they read.</summary>
public static class RunOutputs
{
    /// <summary>
    /// Whether <paramref name="fileName"/> is missing from the output folder; if so, says so on <paramref name="errors"/>,
    /// with the <paramref name="job"/> that writes it.
    /// </summary>
    public static bool Lack(string outputFolder, string fileName, TextWriter errors, string job = "a job")
    {
        if (File.Exists(Path.Combine(outputFolder, fileName))) return false;
        errors.WriteLine($"error: no {fileName} in {outputFolder}: run {job} into it first (ssis run CONFIG).");
        return true;
    }
}
