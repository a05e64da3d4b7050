namespace Nlps.Models.Store;

public enum ModelJobState
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Stopped on request; an import's staging folder stays, so starting it again resumes.</summary>
    Cancelled,
}
