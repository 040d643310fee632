using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Jobs.Config;

/// <summary>The <c>--workers</c> option of every command that takes one, checked before any work starts.</summary>
public static class WorkersOption
{
    /// <summary>The value given (null when none was: the command's default applies), or a <see cref="ConfigException"/>.</summary>
    public static int? Checked(int? workers) => workers is < 1 or > Workers.Max
        ? throw new ConfigException($"option --workers: expected a whole number from 1 to {Workers.Max}, got {workers}.")
        : workers;
}
