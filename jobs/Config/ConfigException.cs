namespace SSIS.Batch.Jobs.Config;

/// <summary>The job config is wrong; the message names the file, line, column and key.</summary>
public sealed class ConfigException(string message) : Exception(message);
