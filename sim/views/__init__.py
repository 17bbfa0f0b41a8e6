"""What people look at: figures, the brief's rendering and the browser app's pages."""
