// submit form runtime
